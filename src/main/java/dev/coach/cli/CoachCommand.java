package dev.coach.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: {@code coach}. */
@Command(name = "coach",
        mixinStandardHelpOptions = true,
        versionProvider = CoachCommand.Version.class,
        subcommands = {MockCommand.class, DrillCommand.class, ResumeCommand.class, TranscriptsCommand.class, BankCommand.class, GradeCommand.class, DoctorCommand.class, ConfigCommand.class, ModelCommand.class},
        description = {
                "A mock-interview coach for LLM and ML engineering interviews.",
                "",
                "coach asks questions from its bank, times your answers, follows up, grades each answer 0/1/2 and "
                        + "shows your weak spots. Start with 'coach bank list' to see the questions."},
        footerHeading = "%n",
        footer = {
                "Global option: --debug prints stack traces for internal errors.",
                "",
                "Exit codes:",
                "  0  success",
                "  1  a check failed (e.g. 'coach bank lint' found problems)",
                "  2  usage or input error (bad option, bad bank file, unknown question id)",
                "  3  the model backend failed (only where a command cannot fall back to the offline grader)",
                "  4  internal error (a bug: please report it with the --debug output)",
                "",
                "Environment: COACH_HOME (where the shipped bank lives), XDG_CONFIG_HOME (config dir, default ~/.config/coach), "
                        + "COLUMNS (output width)."})
public class CoachCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'coach bank list' or 'coach --help'");
    }

    /** Reports the version the jar was built as. */
    public static class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CoachCommand.class.getPackage().getImplementationVersion();
            return new String[] {"coach " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}
