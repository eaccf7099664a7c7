package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.FollowUp;
import dev.coach.bank.KeyNumber;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.bank.Role;
import dev.coach.bank.Spelling;
import dev.coach.bank.Trap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code coach bank show ID}. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show one question in full: the question, its outline (* marks essential points), the numbers to drop, "
                + "the traps, and its follow-up chain drawn as a tree (follow-ups that lead to another bank question are "
                + "expanded, up to --depth levels)."})
public class BankShowCommand implements Runnable {
    @Mixin
    BankOptions bankOptions;
    @Parameters(paramLabel = "ID", description = "The question id (see 'coach bank list' or 'coach bank search').")
    String id;
    @Option(names = "--depth", paramLabel = "N", defaultValue = "3", description = "How many levels of the follow-up chain to draw (default: ${DEFAULT-VALUE}).")
    int depth;
    @Option(names = "--json", description = "Print the question and its follow-up tree as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    /** A node of the follow-up tree: the follow-up, and the chain below it when it leads to another question. */
    public record ChainNode(String question, String ref, String probes, List<ChainNode> next, boolean repeated) {
    }

    @Override
    public void run() {
        if (depth < 1) {
            throw new UsageException("--depth must be at least 1");
        }
        Bank bank = bankOptions.load();
        Question q = bank.question(id).orElseThrow(() -> new UsageException("no question with id '" + id + "'"
                + Spelling.closest(id, bank.questions().stream().map(Question::id).toList()).map(s -> "; did you mean '" + s + "'?")
                .orElse("; try 'coach bank search " + id + "'")));
        List<ChainNode> chain = chain(bank, q, depth, new HashSet<>(Set.of(q.id())));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("question", q);
            doc.put("chain", chain);
            Json.print(out, doc);
            return;
        }
        int w = Terminal.width();
        out.println(Terminal.wrap(q.question(), w, ""));
        out.println(q.id() + " · " + q.category() + " · " + q.level().label() + " · " + q.frequency().label() + " · " + q.kind().label());
        out.println("roles: " + String.join(", ", q.roles().stream().map(Role::label).toList())
                + (q.sources().isEmpty() ? "" : "   sources: " + String.join(", ", q.sources())));
        out.println();
        out.println("Outline (* essential)");
        for (OutlinePoint p : q.outline()) {
            out.println((p.essential() ? "  * " : "  - ") + Terminal.wrap(p.point() + " [" + p.id() + "]", w, "    "));
        }
        if (!q.numbers().isEmpty()) {
            out.println();
            out.println("Numbers to drop");
            for (KeyNumber n : q.numbers()) {
                out.println("  " + Terminal.wrap(n.figure() + " — " + n.measures(), w, "    "));
            }
        }
        out.println();
        out.println("Traps");
        int i = 1;
        for (Trap t : q.traps()) {
            out.println("  " + i++ + ". " + Terminal.wrap(t.mistake(), w, "     "));
            out.println("     " + Terminal.wrap("why: " + t.why(), w, "     "));
        }
        out.println();
        out.println("Follow-up chain");
        draw(out, chain, "  ", w);
        if (!q.related().isEmpty()) {
            out.println();
            out.println("Related: " + String.join(", ", q.related()));
        }
        out.flush();
    }

    static List<ChainNode> chain(Bank bank, Question q, int depth, Set<String> seen) {
        List<ChainNode> nodes = new ArrayList<>();
        for (FollowUp f : q.followups()) {
            List<ChainNode> next = List.of();
            boolean repeated = false;
            if (f.ref() != null && depth > 1) {
                Question target = bank.question(f.ref()).orElse(null);
                if (target != null) {
                    if (seen.contains(target.id())) {
                        repeated = true;
                    } else {
                        Set<String> below = new HashSet<>(seen);
                        below.add(target.id());
                        next = chain(bank, target, depth - 1, below);
                    }
                }
            }
            nodes.add(new ChainNode(f.question(), f.ref(), f.probes(), next, repeated));
        }
        return nodes;
    }

    private static void draw(PrintWriter out, List<ChainNode> nodes, String prefix, int width) {
        for (int i = 0; i < nodes.size(); i++) {
            ChainNode n = nodes.get(i);
            boolean last = i == nodes.size() - 1;
            String tag = (n.ref() == null ? "" : " → " + n.ref() + (n.repeated() ? " (already above)" : ""))
                    + (n.probes() == null ? "" : " [probes " + n.probes() + "]");
            String childPrefix = prefix + (last ? "   " : "│  ");
            out.println(prefix + (last ? "└─ " : "├─ ") + Terminal.wrap(n.question() + tag, width - prefix.length() - 3, childPrefix));
            draw(out, n.next(), childPrefix, width);
        }
    }
}
