package dev.coach.cli;

/** coach's exit codes, as documented in {@code coach --help}. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int BACKEND = 3;
    public static final int INTERNAL = 4;

    private ExitCode() {
    }
}
