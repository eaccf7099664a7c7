package dev.coach.bank;

/**
 * One thing wrong with a bank: where it is, what was expected, and what to do about it.
 * Rendered as {@code file:line:column: message (hint)} so editors and terminals can jump to it.
 */
public record Problem(Location location, String message, String hint) {

    public String render() {
        return location + ": " + message + (hint == null || hint.isBlank() ? "" : "\n    fix: " + hint);
    }
}
