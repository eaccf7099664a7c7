package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.BankLoader;
import dev.coach.bank.CoachHome;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options that choose which bank directories are loaded; mixed into every command that reads the bank. */
public class BankOptions {
    @Option(names = "--bank", paramLabel = "DIR",
            description = "Also load questions from DIR (repeatable). Added to the shipped bank and to the bank/ folder in coach's config directory.")
    List<Path> extra = new ArrayList<>();

    @Option(names = "--bank-only", description = "Load only the --bank directories, not the shipped bank or the config directory's bank.")
    boolean only;

    public List<Path> directories() {
        if (only) {
            if (extra.isEmpty()) {
                throw new UsageException("--bank-only needs at least one --bank DIR");
            }
            return List.copyOf(extra);
        }
        CoachHome home = CoachHome.detect();
        if (home.home().isEmpty() && extra.isEmpty()) {
            throw new UsageException("cannot find coach's bank: set COACH_HOME to the coach install or checkout, "
                    + "or pass --bank DIR");
        }
        return home.bankDirectories(extra);
    }

    public BankLoader.Result loadAll() {
        return BankLoader.load(directories());
    }

    /** The bank, or a {@link dev.coach.bank.BankException} (exit 2) listing every problem. */
    public Bank load() {
        return loadAll().orThrow();
    }
}
