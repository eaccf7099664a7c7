package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.Question;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;

/** {@code coach bank list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the bank's questions, optionally filtered.",
                "Columns: id, category, level, kind, and the question cut to the terminal width ($COLUMNS)."})
public class BankListCommand implements Runnable {
    @Mixin
    BankOptions bankOptions;
    @Mixin
    QuestionFilter filter;
    @Option(names = "--json", description = "Print a JSON array of full questions instead of a table.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Bank bank = bankOptions.load();
        List<Question> qs = filter.apply(bank);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, qs);
            return;
        }
        int idW = Math.max(2, qs.stream().mapToInt(q -> q.id().length()).max().orElse(2));
        int catW = Math.max(8, qs.stream().mapToInt(q -> q.category().length()).max().orElse(8));
        String fmt = "%-" + idW + "s  %-" + catW + "s  %-6s  %-13s  %s%n";
        out.printf(fmt, "ID", "CATEGORY", "LEVEL", "KIND", "QUESTION");
        int room = Math.max(20, Terminal.width() - idW - catW - 6 - 13 - 8);
        for (Question q : qs) {
            out.printf(fmt, q.id(), q.category(), q.level().label(), q.kind().label(), Terminal.truncate(q.question(), room));
        }
        out.println(qs.size() + " of " + bank.size() + " questions");
        out.flush();
    }

}
