package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.Question;
import dev.coach.bank.Spelling;
import dev.coach.grade.FigureCheck;
import dev.coach.grade.Grade;
import dev.coach.grade.Grader;
import dev.coach.grade.TrapHit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coach grade}: grade answers non-interactively, for scripts and CI. */
@Command(name = "grade", mixinStandardHelpOptions = true,
        subcommands = {GradeEvalCommand.class, GradeCalibrateCommand.class, GradePrepareCommand.class},
        description = {"Grade answers 0/1/2 against the bank's rubrics, without an interview: one answer, or many from a JSON Lines file.",
                "",
                "Scale: 2 = the essential points explained correctly and no trap; 1 = some essential points, or a significant error "
                        + "or trap in an otherwise sound answer; 0 = wrong, empty, off-topic, buzzwords, or mostly errors.",
                "",
                "Input lines look like {\"question\": \"kv-cache\", \"answer\": \"...\", \"expected\": 2}; the question may be its id or its full text.",
                "",
                "Exit codes: 0 graded and every threshold met; 1 a threshold (--min-average, --min-score, --expect) not met; "
                        + "2 bad input; 3 the model backend failed and --no-fallback was given."})
public class GradeCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Mixin
    GradingOptions grading;

    @Option(names = "--question", paramLabel = "ID", description = "The bank question to grade against (with --answer).")
    String questionId;
    @Option(names = "--answer", paramLabel = "TEXT|@FILE|-", description = "The answer: text, @file to read it from a file, or - for standard input.")
    String answer;
    @Option(names = "--expected", paramLabel = "N", description = "With --question: the grade the answer should get (for --expect).")
    Integer expected;
    @Option(names = "--input", paramLabel = "FILE", description = "A JSON Lines file of answers (see above).")
    Path input;
    @Option(names = "--format", paramLabel = "FMT", defaultValue = "table", description = "table, json, jsonl or junit (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--min-average", paramLabel = "X", description = "Fail (exit 1) if the average score is below X.")
    Double minAverage;
    @Option(names = "--min-score", paramLabel = "N", description = "Fail (exit 1) if any answer scores below N.")
    Integer minScore;
    @Option(names = "--expect", description = "Fail (exit 1) if any grade differs from the answer's expected grade.")
    boolean expect;
    @Option(names = "--cache", paramLabel = "DIR", description = "Keep grades in DIR keyed by grader, model, prompt, question and answer; a re-run is identical and free.")
    Path cache;
    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1", description = "Grade N answers in parallel (default: ${DEFAULT-VALUE}).")
    int jobs;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!List.of("table", "json", "jsonl", "junit").contains(format)) {
            throw new UsageException("--format must be table, json, jsonl or junit, not '" + format + "'");
        }
        if (jobs < 1) {
            throw new UsageException("--jobs must be at least 1");
        }
        if (minScore != null && (minScore < 0 || minScore > 2)) {
            throw new UsageException("--min-score must be 0, 1 or 2");
        }
        if ((input == null) == (questionId == null)) {
            throw new UsageException("give either --question ID --answer TEXT, or --input FILE.jsonl");
        }
        Bank bank = bankOptions.load();
        List<AnswerFile.Item> items;
        if (input != null) {
            items = AnswerFile.read(input, bank);
        } else {
            if (answer == null) {
                throw new UsageException("--question needs --answer TEXT, --answer @FILE or --answer -");
            }
            Question q = bank.question(questionId).orElseThrow(() -> new UsageException("no question with id '" + questionId + "'"
                    + Spelling.closest(questionId, bank.questions().stream().map(Question::id).toList()).map(s -> "; did you mean '" + s + "'?").orElse("")));
            if (expected != null && (expected < 0 || expected > 2)) {
                throw new UsageException("--expected must be 0, 1 or 2");
            }
            items = List.of(new AnswerFile.Item(questionId, q, TextArgument.read(answer, "answer"), expected, null, null, 0));
        }
        Grader grader = grading.grader(cache);
        PrintWriter err = spec.commandLine().getErr();
        List<GradeRunner.Result> results = GradeRunner.run(items, grader, jobs, GradeRunner.progressWriter(err));
        PrintWriter out = spec.commandLine().getOut();
        List<String> failures = GradeReport.failures(results, minAverage, minScore, expect);
        switch (format) {
            case "json" -> Json.print(out, GradeReport.json(results, grader.name(), failures));
            case "jsonl" -> results.forEach(r -> out.println(Json.line(GradeReport.line(r))));
            case "junit" -> out.print(GradeReport.junit(results, minScore, expect));
            default -> {
                if (results.size() == 1 && input == null) {
                    GradeReport.detail(out, results.getFirst(), bank);
                } else {
                    GradeReport.table(out, results);
                }
            }
        }
        out.flush();
        for (GradeRunner.Result r : results) {
            for (String w : r.grade().warnings()) {
                err.println("warning: " + r.item().id() + ": " + w);
            }
        }
        failures.forEach(f -> err.println("FAIL: " + f));
        err.flush();
        return failures.isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    /** Formats shared by grade and eval. */
    static final class GradeReport {
        private GradeReport() {
        }

        static List<String> failures(List<GradeRunner.Result> results, Double minAverage, Integer minScore, boolean expect) {
            List<String> f = new java.util.ArrayList<>();
            double avg = results.stream().mapToInt(r -> r.grade().score()).average().orElse(0);
            if (minAverage != null && avg + 1e-9 < minAverage) {
                f.add(String.format(Locale.ROOT, "average %.2f is below --min-average %.2f", avg, minAverage));
            }
            for (GradeRunner.Result r : results) {
                if (minScore != null && r.grade().score() < minScore) {
                    f.add(r.item().id() + " (" + r.item().question().id() + ") scored " + r.grade().score() + ", below --min-score " + minScore);
                }
                if (expect && r.item().expected() != null && r.item().expected() != r.grade().score()) {
                    f.add(r.item().id() + " (" + r.item().question().id() + ") scored " + r.grade().score() + ", expected " + r.item().expected());
                }
            }
            return f;
        }

        static Map<String, Object> line(GradeRunner.Result r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.item().id());
            m.put("question", r.item().question().id());
            if (r.item().expected() != null) {
                m.put("expected", r.item().expected());
            }
            m.put("grade", r.grade());
            m.put("millis", r.millis());
            return m;
        }

        static Map<String, Object> json(List<GradeRunner.Result> results, String grader, List<String> failures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("grader", grader);
            m.put("answers", results.size());
            m.put("average", Math.round(results.stream().mapToInt(r -> r.grade().score()).average().orElse(0) * 1000) / 1000.0);
            m.put("passed", failures.isEmpty());
            m.put("failures", failures);
            m.put("results", results.stream().map(GradeReport::line).toList());
            return m;
        }

        static void detail(PrintWriter out, GradeRunner.Result r, Bank bank) {
            Grade g = r.grade();
            Question q = r.item().question();
            int w = Terminal.width();
            out.println("Score: " + g.score() + " / 2" + (r.item().expected() == null ? "" : "   (expected " + r.item().expected() + ")"));
            out.println(Terminal.wrap("Feedback: " + g.feedback(), w, "  "));
            out.println("Covered: " + (g.covered().isEmpty() ? "-" : String.join(", ", g.covered())));
            out.println("Missed:  " + (g.missed().isEmpty() ? "-" : String.join(", ", g.missed())));
            for (TrapHit t : g.traps()) {
                out.println(Terminal.wrap("Trap " + t.index() + ": " + t.mistake(), w, "  "));
            }
            for (FigureCheck f : g.figures()) {
                out.println("Figure " + (f.correct() ? "ok:    " : "wrong: ") + f.quote() + (f.correct() || f.expected() == null ? "" : " (bank: " + f.expected() + ")"));
            }
            for (String e : g.evidence()) {
                out.println(Terminal.wrap("Evidence: \"" + e + "\"", w, "  "));
            }
            out.println("Graded by " + g.grader() + " (" + g.model() + ", " + g.promptVersion() + ") for " + q.id());
        }

        static void table(PrintWriter out, List<GradeRunner.Result> results) {
            int idW = Math.max(2, results.stream().mapToInt(r -> r.item().id().length()).max().orElse(2));
            int qW = Math.max(8, results.stream().mapToInt(r -> r.item().question().id().length()).max().orElse(8));
            String fmt = "%-" + idW + "s  %-" + qW + "s  %3s  %5s  %s%n";
            out.printf(fmt, "ID", "QUESTION", "EXP", "SCORE", "FEEDBACK");
            int room = Math.max(20, Terminal.width() - idW - qW - 17);
            int[] counts = new int[3];
            for (GradeRunner.Result r : results) {
                counts[r.grade().score()]++;
                out.printf(fmt, r.item().id(), r.item().question().id(), r.item().expected() == null ? "-" : r.item().expected(),
                        r.grade().score(), Terminal.truncate(r.grade().feedback(), room));
            }
            double avg = results.stream().mapToInt(r -> r.grade().score()).average().orElse(0);
            out.printf(Locale.ROOT, "%d answers, average %.2f (0: %d, 1: %d, 2: %d)%n", results.size(), avg, counts[0], counts[1], counts[2]);
        }

        static String junit(List<GradeRunner.Result> results, Integer minScore, boolean expect) {
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            long failures = results.stream().filter(r -> failed(r, minScore, expect) != null).count();
            double secs = results.stream().mapToLong(GradeRunner.Result::millis).sum() / 1000.0;
            b.append(String.format(Locale.ROOT, "<testsuite name=\"coach grade\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">%n",
                    results.size(), failures, secs));
            for (GradeRunner.Result r : results) {
                b.append(String.format(Locale.ROOT, "  <testcase classname=\"coach.%s\" name=\"%s\" time=\"%.3f\">",
                        xml(r.item().question().category()), xml(r.item().id() + " " + r.item().question().id()), r.millis() / 1000.0));
                String f = failed(r, minScore, expect);
                if (f != null) {
                    b.append("\n    <failure message=\"").append(xml(f)).append("\">").append(xml(r.grade().feedback())).append("</failure>\n  ");
                }
                b.append("<system-out>").append(xml("score " + r.grade().score() + ": " + r.grade().feedback())).append("</system-out>");
                b.append("</testcase>\n");
            }
            return b.append("</testsuite>\n").toString();
        }

        private static String failed(GradeRunner.Result r, Integer minScore, boolean expect) {
            if (expect && r.item().expected() != null && r.item().expected() != r.grade().score()) {
                return "scored " + r.grade().score() + ", expected " + r.item().expected();
            }
            if (minScore != null && r.grade().score() < minScore) {
                return "scored " + r.grade().score() + ", below " + minScore;
            }
            return null;
        }

        private static String xml(String s) {
            return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                    .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
        }
    }
}
