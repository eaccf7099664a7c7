package dev.coach.llm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where grading (and later the interviewer) runs. */
public enum Backend {
    OPENAI, OLLAMA, LOCAL, OFFLINE, AUTO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Backend> parse(String s) {
        return Arrays.stream(values()).filter(b -> b.label().equalsIgnoreCase(s.strip())).findFirst();
    }
}
