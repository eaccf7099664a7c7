package dev.coach.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code coach bank}: look through and check the question bank. */
@Command(name = "bank",
        mixinStandardHelpOptions = true,
        subcommands = {BankListCommand.class, BankShowCommand.class, BankSearchCommand.class, BankStatsCommand.class,
                BankLintCommand.class, BankImportCommand.class},
        description = {"Browse, search, check and import the question bank.",
                "",
                "The bank is YAML: bank/categories.yaml plus one file per category (see bank/schema.json). "
                        + "Your own questions can live in a directory passed with --bank, or in the bank/ folder of coach's "
                        + "config directory (~/.config/coach/bank)."})
public class BankCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: one of list, show, search, stats, lint, import");
    }
}
