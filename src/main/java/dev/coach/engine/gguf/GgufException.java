package dev.coach.engine.gguf;

/** A GGUF file that cannot be used, with a message that says which file, where, and what to do. */
public class GgufException extends RuntimeException {
    public GgufException(String message) {
        super(message);
    }

    /** For a failure that has a lower-level cause worth keeping for debugging; the message alone must still explain it. */
    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
