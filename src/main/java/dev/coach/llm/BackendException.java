package dev.coach.llm;

/** A model backend that cannot be used (unreachable, no key, failed after retries): exit code 3 where it is fatal. */
public class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
