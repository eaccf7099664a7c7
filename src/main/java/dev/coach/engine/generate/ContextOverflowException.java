package dev.coach.engine.generate;

/** The prompt does not fit in the context the generator was given. */
public class ContextOverflowException extends RuntimeException {
    public ContextOverflowException(String message) {
        super(message);
    }
}
