package dev.coach.cli;

import dev.coach.bank.BankException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Entry point: builds the command tree, maps errors to exit codes, never shows a stack trace unless --debug. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, realStderr()));
    }

    /**
     * The launcher sends the JVM's own start-up warnings to /dev/null and passes the user's stderr as
     * file descriptor 3 (property {@code coach.stderr.fd}); coach writes its messages there.
     */
    private static PrintStream realStderr() {
        String fd = System.getProperty("coach.stderr.fd");
        if (fd != null && fd.matches("\\d+")) {
            try {
                // append mode: when stderr is a file, reopening it must not truncate it or write over what is there
                PrintStream err = new PrintStream(new java.io.FileOutputStream("/dev/fd/" + fd, true), true, StandardCharsets.UTF_8);
                System.setErr(err);
                return err;
            } catch (java.io.IOException | SecurityException e) {
                // fall back to the JVM's stderr
            }
        }
        return System.err;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = commandLine(o, e, Arrays.asList(args).contains("--debug"));
        int code = cl.execute(Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new));
        o.flush();
        e.flush();
        return code;
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug) {
        CommandLine cl = new CommandLine(new CoachCommand());
        cl.addSubcommand(new CompletionCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> switch (t) {
            case BankException be -> ExitCode.USAGE;
            case UsageException ue -> ExitCode.USAGE;
            case CommandLine.ParameterException pe -> ExitCode.USAGE;
            case dev.coach.llm.ConfigException ce -> ExitCode.USAGE;
            case dev.coach.llm.BackendException be -> ExitCode.BACKEND;
            default -> ExitCode.INTERNAL;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter w = line.getErr();
            switch (ex) {
                case BankException be -> {
                    w.println("coach: the question bank has " + be.problems().size() + " problem(s); nothing was done.");
                    be.problems().forEach(p -> w.println(p.render()));
                    w.println("Run 'coach bank lint' to list them again after fixing.");
                }
                case UsageException ue -> w.println("coach: " + ue.getMessage());
                case dev.coach.llm.ConfigException ce -> w.println("coach: " + ce.getMessage());
                case dev.coach.llm.BackendException be -> w.println("coach: backend failure: " + be.getMessage());
                default -> {
                    w.println("coach: internal error: " + ex + (debug ? "" : " (run again with --debug for details)"));
                    if (debug) {
                        ex.printStackTrace(w);
                    }
                }
            }
            w.flush();
            return line.getExitCodeExceptionMapper().getExitCode(ex);
        });
        return cl;
    }
}
