package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.Category;
import dev.coach.bank.Level;
import dev.coach.bank.Question;
import dev.coach.bank.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code coach bank stats}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Count the bank's questions by category and level, and by role.")
public class BankStatsCommand implements Runnable {
    @Mixin
    BankOptions bankOptions;
    @Option(names = "--json", description = "Print the counts as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    /** The counts, as printed and as JSON. */
    public record Stats(int questions, Map<String, Map<String, Integer>> byCategoryAndLevel, Map<String, Integer> byRole) {
    }

    public static Stats compute(Bank bank) {
        Map<String, Map<String, Integer>> table = new LinkedHashMap<>();
        for (Category c : bank.categories()) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (Level l : Level.values()) {
                row.put(l.label(), 0);
            }
            table.put(c.id(), row);
        }
        Map<String, Integer> roles = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            roles.put(r.label(), 0);
        }
        for (Question q : bank.questions()) {
            table.computeIfAbsent(q.category(), k -> new LinkedHashMap<>()).merge(q.level().label(), 1, Integer::sum);
            q.roles().forEach(r -> roles.merge(r.label(), 1, Integer::sum));
        }
        return new Stats(bank.size(), table, roles);
    }

    @Override
    public void run() {
        Bank bank = bankOptions.load();
        Stats s = compute(bank);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, s);
            return;
        }
        int catW = Math.max(18, s.byCategoryAndLevel().keySet().stream().mapToInt(String::length).max().orElse(8));
        String fmt = "%-" + catW + "s %7s %7s %7s %7s%n";
        out.printf(fmt, "CATEGORY", "screen", "mid", "senior", "total");
        int[] totals = new int[4];
        for (Map.Entry<String, Map<String, Integer>> e : s.byCategoryAndLevel().entrySet()) {
            List<Integer> v = List.of(e.getValue().getOrDefault("screen", 0), e.getValue().getOrDefault("mid", 0),
                    e.getValue().getOrDefault("senior", 0));
            int sum = v.get(0) + v.get(1) + v.get(2);
            for (int i = 0; i < 3; i++) {
                totals[i] += v.get(i);
            }
            totals[3] += sum;
            out.printf(fmt, e.getKey(), v.get(0), v.get(1), v.get(2), sum);
        }
        out.printf(fmt, "total", totals[0], totals[1], totals[2], totals[3]);
        out.println();
        out.printf("%-" + catW + "s %7s%n", "ROLE", "count");
        s.byRole().forEach((r, n) -> out.printf("%-" + catW + "s %7d%n", r, n));
        out.flush();
    }
}
