package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.grade.Agreement;
import dev.coach.grade.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code coach grade eval}: how well a grader agrees with labelled answers. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure a grader against labelled answers: exact agreement, quadratic weighted kappa and the confusion matrix, "
                + "overall, by category and by answer kind.",
                "Labels are JSON Lines with question, answer, and grade (or expected); optional kind and split.",
                "Exit 1 when --min-kappa is given and not reached."})
public class GradeEvalCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Mixin
    GradingOptions grading;
    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Labelled answers (JSON Lines).")
    Path labels;
    @Option(names = "--split", paramLabel = "NAME", description = "Only lines whose split is NAME (e.g. holdout).")
    String split;
    @Option(names = "--min-kappa", paramLabel = "K", description = "Fail (exit 1) if the overall quadratic weighted kappa is below K.")
    Double minKappa;
    @Option(names = "--cache", paramLabel = "DIR", description = "Grade cache directory, as for coach grade.")
    Path cache;
    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1", description = "Grade N answers in parallel (default: ${DEFAULT-VALUE}).")
    int jobs;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Bank bank = bankOptions.load();
        List<AnswerFile.Item> items = AnswerFile.read(labels, bank).stream()
                .filter(i -> split == null || split.equals(i.split())).toList();
        if (items.isEmpty()) {
            throw new UsageException(labels + ": no labelled answers" + (split == null ? "" : " with split '" + split + "'"));
        }
        if (items.stream().anyMatch(i -> i.expected() == null)) {
            AnswerFile.Item bad = items.stream().filter(i -> i.expected() == null).findFirst().orElseThrow();
            throw new UsageException(labels + ":" + bad.line() + ": no \"grade\" label; every line needs one for eval");
        }
        long t0 = System.nanoTime();
        Grader grader = grading.grader(cache);
        List<GradeRunner.Result> results = GradeRunner.run(items, grader, jobs, GradeRunner.progressWriter(spec.commandLine().getErr()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Agreement all = agreement(results);
        Map<String, Agreement> byCategory = groups(results, r -> r.item().question().category());
        Map<String, Agreement> byKind = groups(results, r -> r.item().kind() == null ? "-" : r.item().kind());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("grader", grader.name());
            doc.put("labels", labels.toString());
            doc.put("split", split);
            doc.put("seconds", Math.round(seconds * 100) / 100.0);
            doc.put("overall", all);
            doc.put("byCategory", byCategory);
            doc.put("byKind", byKind);
            Json.print(out, doc);
        } else {
            out.printf(Locale.ROOT, "grader %s on %s%s: %d answers in %.1f s%n", grader.name(), labels.getFileName(),
                    split == null ? "" : " (split " + split + ")", all.n(), seconds);
            out.printf(Locale.ROOT, "exact agreement %.3f   quadratic weighted kappa %.3f%n%n", all.exact(), all.kappa());
            out.println("confusion (rows = label, columns = grade)");
            out.println("         0     1     2");
            for (int i = 0; i < 3; i++) {
                out.printf("  %d  %5d %5d %5d%n", i, all.confusion()[i][0], all.confusion()[i][1], all.confusion()[i][2]);
            }
            print(out, "category", byCategory);
            print(out, "answer kind", byKind);
        }
        out.flush();
        if (minKappa != null && all.kappa() + 1e-9 < minKappa) {
            spec.commandLine().getErr().printf(Locale.ROOT, "FAIL: kappa %.3f is below --min-kappa %.3f%n", all.kappa(), minKappa);
            spec.commandLine().getErr().flush();
            return ExitCode.CHECK_FAILED;
        }
        return ExitCode.OK;
    }

    static Agreement agreement(List<GradeRunner.Result> rs) {
        return Agreement.of(rs.stream().map(r -> r.item().expected()).toList(), rs.stream().map(r -> r.grade().score()).toList());
    }

    private static Map<String, Agreement> groups(List<GradeRunner.Result> results, Function<GradeRunner.Result, String> key) {
        Map<String, List<GradeRunner.Result>> g = new TreeMap<>();
        results.forEach(r -> g.computeIfAbsent(key.apply(r), k -> new java.util.ArrayList<>()).add(r));
        Map<String, Agreement> out = new LinkedHashMap<>();
        g.forEach((k, v) -> out.put(k, agreement(v)));
        return out;
    }

    private static void print(PrintWriter out, String title, Map<String, Agreement> groups) {
        out.println();
        int w = Math.max(title.length(), groups.keySet().stream().mapToInt(String::length).max().orElse(5));
        out.printf("%-" + w + "s %5s %7s %7s%n", title, "n", "exact", "kappa");
        groups.forEach((k, a) -> out.printf(Locale.ROOT, "%-" + w + "s %5d %7.3f %7.3f%n", k, a.n(), a.exact(), a.kappa()));
    }
}
