package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.grade.Agreement;
import dev.coach.grade.Embedders;
import dev.coach.grade.OfflineGrader;
import dev.coach.grade.OfflineParams;
import dev.coach.grade.Rubric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code coach grade calibrate}: fit the offline grader's thresholds on labelled answers. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the offline grader's thresholds to labelled answers (coordinate search maximising quadratic weighted kappa) "
                + "and report agreement on the fitting split and on the held-back split.",
                "Use it to check coach's shipped thresholds, or to tune them for your own bank."})
public class GradeCalibrateCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Labelled answers (JSON Lines) with a split field.")
    Path labels;
    @Option(names = "--fit", paramLabel = "SPLIT", defaultValue = "calibration", description = "Split to fit on (default: ${DEFAULT-VALUE}).")
    String fit;
    @Option(names = "--check", paramLabel = "SPLIT", defaultValue = "holdout", description = "Split to report on (default: ${DEFAULT-VALUE}).")
    String check;
    @Option(names = "--embedding", paramLabel = "NAME", defaultValue = Embedders.DEFAULT, description = "Embedding model (default: ${DEFAULT-VALUE}).")
    String embedding;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Bank bank = bankOptions.load();
        List<AnswerFile.Item> items = AnswerFile.read(labels, bank);
        OfflineGrader grader = new OfflineGrader(Embedders.create(embedding), Embedders.params(embedding));
        List<OfflineGrader.Analysis> fitA = new ArrayList<>();
        List<Integer> fitL = new ArrayList<>();
        List<OfflineGrader.Analysis> chkA = new ArrayList<>();
        List<Integer> chkL = new ArrayList<>();
        for (AnswerFile.Item i : items) {
            if (i.expected() == null) {
                continue;
            }
            OfflineGrader.Analysis a = grader.analyze(Rubric.of(i.question()), i.answer());
            if (fit.equals(i.split())) {
                fitA.add(a);
                fitL.add(i.expected());
            } else if (check.equals(i.split())) {
                chkA.add(a);
                chkL.add(i.expected());
            }
        }
        if (fitA.isEmpty()) {
            throw new UsageException(labels + ": no labelled answers with split '" + fit + "'");
        }
        OfflineParams start = Embedders.params(embedding);
        OfflineParams best = search(grader, fitA, fitL, start);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "embedding %s, fitted on %d answers (%s), checked on %d (%s)%n", embedding, fitA.size(), fit, chkA.size(), check);
        report(out, "shipped", grader, start, fitA, fitL, chkA, chkL);
        report(out, "fitted ", grader, best, fitA, fitL, chkA, chkL);
        out.printf(Locale.ROOT, "new OfflineParams(%.2f, %.2f, %.2f, %.2f, %.2f, %.2f, %.2f)%n", best.lo(), best.hi(), best.strong(), best.partial(),
                best.trap(), best.measure(), best.density());
        out.flush();
        return ExitCode.OK;
    }

    private static void report(PrintWriter out, String label, OfflineGrader g, OfflineParams p, List<OfflineGrader.Analysis> fa, List<Integer> fl,
                               List<OfflineGrader.Analysis> ca, List<Integer> cl) {
        Agreement f = score(g, p, fa, fl);
        Agreement c = ca.isEmpty() ? null : score(g, p, ca, cl);
        out.printf(Locale.ROOT, "%s: fit kappa %.3f exact %.3f%s%n", label, f.kappa(), f.exact(),
                c == null ? "" : String.format(Locale.ROOT, " | check kappa %.3f exact %.3f", c.kappa(), c.exact()));
    }

    static Agreement score(OfflineGrader g, OfflineParams p, List<OfflineGrader.Analysis> as, List<Integer> labels) {
        List<Integer> pred = as.stream().map(a -> g.decide(a, p).score()).toList();
        return Agreement.of(labels, pred);
    }

    /** Coordinate search: each threshold in turn over its grid, three rounds. */
    static OfflineParams search(OfflineGrader g, List<OfflineGrader.Analysis> as, List<Integer> labels, OfflineParams start) {
        double[] v = {start.lo(), start.hi(), start.strong(), start.partial(), start.trap(), start.measure(), start.density()};
        double[][] grids = {range(0.30, 0.75, 0.025), range(0.55, 0.95, 0.025), range(0.30, 0.90, 0.025), range(0.05, 0.60, 0.025),
                range(0.60, 1.00, 0.02), range(0.30, 0.90, 0.05), range(0.00, 0.30, 0.02)};
        double bestK = objective(g, as, labels, v);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < v.length; k++) {
                double keep = v[k];
                for (double x : grids[k]) {
                    v[k] = x;
                    if (v[1] <= v[0] + 0.05 || v[3] >= v[2]) {
                        continue;
                    }
                    double o = objective(g, as, labels, v);
                    if (o > bestK + 1e-9) {
                        bestK = o;
                        keep = x;
                    }
                }
                v[k] = keep;
            }
        }
        return new OfflineParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    private static double objective(OfflineGrader g, List<OfflineGrader.Analysis> as, List<Integer> labels, double[] v) {
        Agreement a = score(g, new OfflineParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), as, labels);
        return a.kappa() + 0.25 * a.exact();
    }

    private static double[] range(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.round((from + i * step) * 1000) / 1000.0;
        }
        return out;
    }
}
