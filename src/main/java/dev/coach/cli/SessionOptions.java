package dev.coach.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Options shared by mock and drill. */
public class SessionOptions {
    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Number of main questions (default: 8 for mock, 5 for drill).")
    Integer count;
    @Option(names = "--seed", paramLabel = "N", description = "Seed for choosing questions; the same seed gives the same plan (default: random, printed).")
    Long seed;
    @Option(names = "--followups", paramLabel = "N", defaultValue = "1", description = "Follow-ups after each main question (default: ${DEFAULT-VALUE}).")
    int followups;
    @Option(names = "--time", paramLabel = "SECONDS", description = "Seconds per answer; 0 = untimed (default: 90 for mock, untimed for drill).")
    Integer time;
    @Option(names = "--answers", paramLabel = "FILE",
            description = "Run without a terminal: answers in FILE, separated by lines holding only '---' ('/skip' skips). "
                    + "Answers piped on standard input work the same way.")
    Path answers;
    @Option(names = "--transcripts", paramLabel = "DIR",
            description = "Where transcripts go (default: ./transcripts inside a coach checkout, else ~/.local/share/coach/transcripts).")
    Path transcripts;

    public Path transcriptsDir() {
        if (transcripts != null) {
            return transcripts;
        }
        return defaultTranscripts();
    }

    static Path defaultTranscripts() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bank").resolve("categories.yaml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("transcripts");
            }
        }
        return DoctorCommand.dataDir().resolve("transcripts");
    }

    static Path newTranscript(Path dir, String mode) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss"));
        Path p = dir.resolve(stamp + "-" + mode + ".jsonl");
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve(stamp + "-" + mode + "-" + i + ".jsonl");
        }
        return p;
    }

    static boolean hasConsole() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

}
