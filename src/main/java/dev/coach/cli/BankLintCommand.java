package dev.coach.cli;

import dev.coach.bank.BankLoader;
import dev.coach.bank.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code coach bank lint}. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check every bank file and list all problems at once, each as file:line:column, what is wrong, and how to fix it.",
                "Checks: YAML syntax, unknown or missing fields, wrong values for level, frequency, kind and roles, duplicate ids, "
                        + "unknown categories, follow-up refs and related ids that name no question, probes that name no outline "
                        + "point or trap, and under-filled questions (fewer than 4 outline points, 2 essential, 1 trap, 2 follow-ups).",
                "Exit 0 when the bank is clean, 1 when there are problems."})
public class BankLintCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Option(names = "--json", description = "Print the problems as a JSON object.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BankLoader.Result r = bankOptions.loadAll();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("files", r.files().size());
            doc.put("questions", r.bank().size());
            doc.put("problems", r.problems().stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", p.location().file().toString());
                m.put("line", p.location().line());
                m.put("column", p.location().column());
                m.put("message", p.message());
                m.put("hint", p.hint());
                return m;
            }).toList());
            Json.print(out, doc);
        } else {
            List<Problem> ps = r.problems();
            ps.forEach(p -> out.println(p.render()));
            out.println(ps.isEmpty()
                    ? "bank OK: " + r.bank().size() + " questions in " + r.files().size() + " files"
                    : ps.size() + " problem(s) in " + r.files().size() + " files");
        }
        out.flush();
        return r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
}
