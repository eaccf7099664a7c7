package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.Question;
import dev.coach.grade.Grader;
import dev.coach.history.Transcript;
import dev.coach.interview.Clock;
import dev.coach.interview.Interview;
import dev.coach.interview.Planner;
import dev.coach.interview.SessionPlan;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** What mock and drill share: the plan, the grader, the transcript, and running the session with or without a terminal. */
abstract class SessionCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Mixin
    QuestionFilter filter;
    @Mixin
    SessionOptions session;
    @Mixin
    GradingOptions grading;
    @Option(names = "--json", description = "With --answers: print the scorecard as JSON at the end.")
    boolean json;
    @Spec
    CommandSpec spec;

    abstract String mode();

    abstract int defaultCount();

    abstract int defaultSeconds();

    @Override
    public Integer call() throws IOException {
        Bank bank = bankOptions.load();
        int count = session.count == null ? defaultCount() : session.count;
        if (count < 1) {
            throw new UsageException("--count must be at least 1");
        }
        if (session.followups < 0) {
            throw new UsageException("--followups must be 0 or more");
        }
        int seconds = session.time == null ? defaultSeconds() : session.time;
        if (seconds < 0) {
            throw new UsageException("--time must be 0 (untimed) or more seconds");
        }
        List<Question> candidates = filter.apply(bank);
        if (candidates.isEmpty()) {
            throw new UsageException("no bank question matches those filters; see 'coach bank stats'");
        }
        long seed = session.seed != null ? session.seed : System.nanoTime() & 0xffffffL;
        List<Question> chosen = Planner.choose(candidates, count, seed);
        SessionPlan plan = new SessionPlan(mode(), chosen.stream().map(Question::id).toList(), seconds, session.followups, seed);
        Grader grader = grading.grader(null);
        Path file = SessionOptions.newTranscript(session.transcriptsDir(), mode());
        PrintWriter out = spec.commandLine().getOut();
        try (Transcript t = Transcript.append(file)) {
            Interview in = new Interview(plan, bank, grader, Clock.SYSTEM, t);
            out.println(mode() + ": " + chosen.size() + " question(s), seed " + seed + ", grader " + grader.name()
                    + (seconds > 0 ? ", " + seconds + " s per answer" : ", untimed"));
            out.println("transcript: " + file);
            out.flush();
            in.start(bankVersion(bank));
            return run(in, file);
        }
    }

    /** Runs a started (or restored) interview on the terminal, or from scripted answers. */
    int run(Interview in, Path file) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (session.answers != null || !SessionOptions.hasConsole()) {
            java.io.BufferedReader r = session.answers != null
                    ? Files.newBufferedReader(checked(session.answers), StandardCharsets.UTF_8)
                    : new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (r) {
                return ScriptedSession.run(in, answers(r), out, json, file);
            }
        }
        return dev.coach.tui.InterviewScreen.run(in, file, out);
    }

    static String bankVersion(Bank bank) {
        return Integer.toHexString(bank.questions().stream().map(q -> q.id() + q.question() + q.outline()).toList().hashCode());
    }


    private static Path checked(Path p) {
        if (!Files.isReadable(p)) {
            throw new UsageException(p + ": cannot read the answers file");
        }
        return p;
    }

    /** Answers as they arrive: each block of lines up to a line holding only '---' (or the end of input). */
    static java.util.Iterator<String> answers(java.io.BufferedReader r) {
        return new java.util.Iterator<>() {
            String next;
            boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                StringBuilder b = new StringBuilder();
                boolean any = false;
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.strip().equals("---")) {
                            next = b.toString().strip();
                            return true;
                        }
                        b.append(line).append('\n');
                        any = true;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                done = true;
                if (any && !b.toString().isBlank()) {
                    next = b.toString().strip();
                    return true;
                }
                return false;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                String n = next;
                next = null;
                return n;
            }
        };
    }

}
