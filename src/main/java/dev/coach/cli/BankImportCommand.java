package dev.coach.cli;

import picocli.CommandLine.Command;

/** {@code coach bank import}: placeholder until the importer lands. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Turn Markdown question banks into bank YAML.")
public class BankImportCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("import is not available yet");
    }
}
