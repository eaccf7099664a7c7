package dev.coach.grade;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.BankWriter;
import dev.coach.bank.Question;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keeps grades on disk keyed by grader, model, prompt version, question and answer, so a re-run gives the same
 * grade without calling the model again. Files are written atomically; an unreadable entry is simply regraded.
 */
public final class CachingGrader implements Grader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Grader inner;
    private final String version;
    private final Path dir;

    public CachingGrader(Grader inner, String version, Path dir) {
        this.inner = inner;
        this.version = version;
        this.dir = dir;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Grade grade(Question question, String answer) {
        Path file = dir.resolve(key(question, answer) + ".json");
        if (Files.isRegularFile(file)) {
            try {
                return JSON.readValue(file.toFile(), Grade.class);
            } catch (IOException | RuntimeException e) {
                // a damaged entry is regraded and overwritten
            }
        }
        Grade g = inner.grade(question, answer);
        if (g.warnings().isEmpty()) {
            try {
                BankWriter.writeAtomically(file, JSON.writeValueAsString(g));
            } catch (IOException e) {
                return g.withWarning("could not write the grade cache in " + dir + ": " + e.getMessage());
            }
        }
        return g;
    }

    String key(Question q, String answer) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {inner.name(), version, q.id(), q.question(), answer}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
