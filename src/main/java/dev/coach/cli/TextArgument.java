package dev.coach.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** An option value that is text itself, {@code @FILE} (read the file) or {@code -} (read standard input). */
final class TextArgument {
    private TextArgument() {
    }

    static String read(String value, String what) throws IOException {
        if (value.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (value.startsWith("@")) {
            Path p = Path.of(value.substring(1));
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException(p + ": cannot read the " + what + " file (" + e.getClass().getSimpleName() + ")");
            }
        }
        return value;
    }
}
