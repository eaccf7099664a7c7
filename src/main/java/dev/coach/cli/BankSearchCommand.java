package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.BankSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code coach bank search TEXT}. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Find questions by words, best match first. Tolerates typos ('atention', 'quantisation') and "
                + "prefixes ('quant'); the question text and id count most, then the category, outline and traps."})
public class BankSearchCommand implements Runnable {
    @Mixin
    BankOptions bankOptions;
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Words to look for.")
    List<String> words;
    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "10", description = "Show at most N results (default: ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        Bank bank = bankOptions.load();
        String query = String.join(" ", words);
        List<BankSearch.Hit> hits = new BankSearch(bank).search(query, limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, hits.stream().map(h -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", h.question().id());
                m.put("score", Math.round(h.score() * 100) / 100.0);
                m.put("category", h.question().category());
                m.put("question", h.question().question());
                m.put("unmatched", h.unmatched());
                return m;
            }).toList());
            return;
        }
        if (hits.isEmpty()) {
            out.println("no question matches '" + query + "'");
            out.flush();
            return;
        }
        int idW = hits.stream().mapToInt(h -> h.question().id().length()).max().orElse(2);
        int room = Math.max(20, Terminal.width() - idW - 9);
        for (BankSearch.Hit h : hits) {
            out.printf("%5.1f  %-" + idW + "s  %s%n", h.score(), h.question().id(), Terminal.truncate(h.question().question(), room));
        }
        out.flush();
    }
}
