package dev.coach.cli;

/** Bad input from the user: printed without a stack trace, exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
