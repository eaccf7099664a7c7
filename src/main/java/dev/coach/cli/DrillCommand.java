package dev.coach.cli;

import picocli.CommandLine.Command;

/** {@code coach drill}. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Practice: questions with feedback right after each answer (the grade, covered and missed points, traps, "
                + "figures, and the model outline). Untimed unless --time is given. Same keys and commands as 'coach mock'."})
public class DrillCommand extends SessionCommand {
    @Override
    String mode() {
        return "drill";
    }

    @Override
    int defaultCount() {
        return 5;
    }

    @Override
    int defaultSeconds() {
        return 0;
    }
}
