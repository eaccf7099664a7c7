package dev.coach.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small bank directories for tests. */
public final class BankFixtures {
    private BankFixtures() {
    }

    public static final String CATEGORIES = """
            categories:
              - id: basics
                title: Basics
                description: Test questions.
              - id: serving
                title: Serving
                description: More test questions.
            """;

    /** A complete, valid question in category {@code basics} with the given id and follow-up ref. */
    public static String question(String id, String ref) {
        return """
                  - id: %s
                    question: What does %s mean?
                    category: basics
                    level: mid
                    frequency: common
                    kind: conceptual
                    roles: [MLE, LLM Engineer]
                    sources: ["000#01"]
                    outline:
                      - id: first
                        point: The first essential idea.
                        essential: true
                      - id: second
                        point: The second essential idea.
                        essential: true
                      - id: third
                        point: A supporting detail.
                        essential: false
                      - id: fourth
                        point: Another supporting detail.
                        essential: false
                    numbers:
                      - figure: "4 GiB"
                        measures: a size that matters
                    traps:
                      - mistake: Confusing it with something else.
                        why: They differ in an important way.
                    followups:
                      - question: What follows from the first idea?
                        probes: first
                      - question: How does it connect to the other question?
                        ref: %s
                        probes: trap:1
                    related: [%s]
                """.formatted(id, id, ref, ref);
    }

    public static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid two-question bank: alpha and beta refer to each other. */
    public static Path validBank(Path dir) {
        write(dir, "categories.yaml", CATEGORIES);
        write(dir, "basics.yaml", "questions:\n" + question("alpha", "beta") + question("beta", "alpha"));
        return dir;
    }
}
