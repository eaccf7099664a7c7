package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.bank.BankWriter;
import dev.coach.history.Transcript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code coach transcripts list|show|export}. */
@Command(name = "transcripts", mixinStandardHelpOptions = true,
        subcommands = {TranscriptsCommand.ListCmd.class, TranscriptsCommand.Show.class, TranscriptsCommand.Export.class},
        description = "List, show and export session transcripts (one JSON Lines file per session).")
public class TranscriptsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list, show or export");
    }

    /** Where to look. */
    static class Dir {
        @Option(names = "--transcripts", paramLabel = "DIR", description = "Transcripts directory (default as for mock).")
        Path dir;

        Path get() {
            return dir != null ? dir : SessionOptions.defaultTranscripts();
        }
    }

    record Summary(Path file, String mode, int answers, boolean finished, double average) {
    }

    static List<Summary> summaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Summary> out = new ArrayList<>();
            for (Path p : s.filter(x -> x.toString().endsWith(".jsonl")).sorted().toList()) {
                out.add(summary(p));
            }
            return out;
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    static Summary summary(Path p) {
        List<JsonNode> ev = Transcript.read(p);
        String mode = ev.stream().filter(e -> e.path("type").asText().equals("session")).map(e -> e.path("plan").path("mode").asText())
                .findFirst().orElse("?");
        List<Integer> scores = ev.stream().filter(e -> e.path("type").asText().equals("grade")).map(e -> e.path("grade").path("score").asInt()).toList();
        boolean done = ev.stream().anyMatch(e -> e.path("type").asText().equals("end"));
        return new Summary(p, mode, scores.size(), done, scores.stream().mapToInt(Integer::intValue).average().orElse(0));
    }

    static Optional<Path> newestUnfinished(Path dir) {
        return summaries(dir).stream().filter(s -> !s.finished()).map(Summary::file).max(Comparator.naturalOrder());
    }

    /** {@code coach transcripts list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per session: file, mode, answers, average, finished or not.")
    static class ListCmd implements Runnable {
        @Mixin
        Dir dir;
        @Option(names = "--json", description = "Print as JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            List<Summary> all = summaries(dir.get());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, all.stream().map(s -> Map.of("file", s.file().toString(), "mode", s.mode(), "answers", s.answers(),
                        "finished", s.finished(), "average", s.average())).toList());
                return;
            }
            if (all.isEmpty()) {
                out.println("no transcripts in " + dir.get());
            }
            for (Summary s : all) {
                out.printf(Locale.ROOT, "%-40s %-6s %3d answers  avg %.2f  %s%n", s.file().getFileName(), s.mode(), s.answers(), s.average(),
                        s.finished() ? "finished" : "unfinished (coach resume " + s.file() + ")");
            }
            out.flush();
        }
    }

    /** {@code coach transcripts show FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a session: each question, answer, grade and feedback.")
    static class Show implements Runnable {
        @Parameters(paramLabel = "FILE")
        Path file;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(markdown(file));
            spec.commandLine().getOut().flush();
        }
    }

    /** {@code coach transcripts export FILE --format md}. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export a session as Markdown.")
    static class Export implements java.util.concurrent.Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--format", defaultValue = "md", paramLabel = "FMT", description = "md (default: ${DEFAULT-VALUE}).")
        String format;
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write here (atomically) instead of standard output.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("md")) {
                throw new UsageException("--format must be md");
            }
            String md = markdown(file);
            if (out == null) {
                spec.commandLine().getOut().print(md);
                spec.commandLine().getOut().flush();
            } else {
                BankWriter.writeAtomically(out, md);
            }
            return ExitCode.OK;
        }
    }

    static String markdown(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such transcript");
        }
        List<JsonNode> ev = Transcript.read(file);
        StringBuilder b = new StringBuilder("# Session " + file.getFileName() + "\n\n");
        Map<Integer, String> asked = new LinkedHashMap<>();
        Map<Integer, String> answers = new LinkedHashMap<>();
        for (JsonNode e : ev) {
            switch (e.path("type").asText()) {
                case "session" -> b.append("Mode: ").append(e.path("plan").path("mode").asText()).append(", grader: ")
                        .append(e.path("grader").asText()).append(", seed: ").append(e.path("plan").path("seed").asText()).append("\n\n");
                case "question" -> asked.put(e.path("n").asInt(), (e.path("depth").asInt() > 0 ? "Follow-up" : "Question") + " (" + e.path("id").asText()
                        + "): " + e.path("text").asText());
                case "answer" -> answers.put(e.path("n").asInt(), e.path("skipped").asBoolean() ? "(skipped)" : e.path("text").asText());
                case "grade" -> {
                    int n = e.path("n").asInt();
                    b.append("## ").append(asked.getOrDefault(n, "Question " + n)).append("\n\n");
                    b.append("> ").append(answers.getOrDefault(n, "").replace("\n", "\n> ")).append("\n\n");
                    b.append("**Grade ").append(e.path("grade").path("score").asInt()).append("/2.** ")
                            .append(e.path("grade").path("feedback").asText()).append("\n\n");
                }
                case "end" -> b.append(String.format(Locale.ROOT, "Average: %.2f / 2\n", e.path("average").asDouble()));
                default -> {
                }
            }
        }
        return b.toString();
    }
}
