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
        OfflineGrader grader = new OfflineGrader(Embedders.create(GradingOptions.checkEmbedding(embedding)), Embedders.params(embedding));
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
        out.println(best.javaLiteral());
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

    /**
     * Fits the calibrated model using the fitting split only. The two similarity thresholds are chosen by 5-fold
     * cross-validation within that split (so they are judged on answers their weights never saw); then ridge regression
     * of the label on the features, and the two cut-points that maximise kappa plus a quarter of exact agreement, are
     * fitted on the whole split.
     */
    static OfflineParams search(OfflineGrader g, List<OfflineGrader.Analysis> as, List<Integer> labels, OfflineParams start) {
        double bestCv = Double.NEGATIVE_INFINITY;
        double bestPoint = start.point();
        double bestMeasure = start.measure();
        int folds = 5;
        for (double point : range(0.40, 0.80, 0.05)) {
            for (double measure : range(0.30, 0.80, 0.10)) {
                OfflineParams base = new OfflineParams(point, start.trap(), start.trapMargin(), measure, start.weights(), start.cut1(), start.cut2());
                double[][] x = as.stream().map(a -> g.features(a, base)).toArray(double[][]::new);
                double cv = 0;
                for (int f = 0; f < folds; f++) {
                    List<Integer> train = new ArrayList<>();
                    List<Integer> test = new ArrayList<>();
                    for (int i = 0; i < x.length; i++) {
                        (i % folds == f ? test : train).add(i);
                    }
                    OfflineParams fitted = fit(base, x, as, labels, train);
                    cv += objective(fitted, x, as, labels, test);
                }
                if (cv > bestCv + 1e-9) {
                    bestCv = cv;
                    bestPoint = point;
                    bestMeasure = measure;
                }
            }
        }
        OfflineParams base = new OfflineParams(bestPoint, start.trap(), start.trapMargin(), bestMeasure, start.weights(), start.cut1(), start.cut2());
        double[][] x = as.stream().map(a -> g.features(a, base)).toArray(double[][]::new);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            all.add(i);
        }
        return fit(base, x, as, labels, all);
    }

    /** Ridge weights and the best cut-points on the rows {@code idx}. */
    private static OfflineParams fit(OfflineParams base, double[][] x, List<OfflineGrader.Analysis> as, List<Integer> labels, List<Integer> idx) {
        double[][] xs = idx.stream().map(i -> x[i]).toArray(double[][]::new);
        double[] w = ridge(xs, idx.stream().map(labels::get).toList(), 0.3);
        double best = Double.NEGATIVE_INFINITY;
        double b1 = base.cut1();
        double b2 = base.cut2();
        for (double c1 : range(0.2, 1.4, 0.02)) {
            for (double c2 : range(c1 + 0.1, 2.0, 0.02)) {
                double o = objective(new OfflineParams(base.point(), base.trap(), base.trapMargin(), base.measure(), w, c1, c2), x, as, labels, idx);
                if (o > best + 1e-9) {
                    best = o;
                    b1 = c1;
                    b2 = c2;
                }
            }
        }
        return new OfflineParams(base.point(), base.trap(), base.trapMargin(), base.measure(), w, b1, b2);
    }

    private static double objective(OfflineParams p, double[][] x, List<OfflineGrader.Analysis> as, List<Integer> labels, List<Integer> idx) {
        List<Integer> l = new ArrayList<>();
        List<Integer> pred = new ArrayList<>();
        for (int i : idx) {
            double y = 0;
            for (int j = 0; j < p.weights().length; j++) {
                y += p.weights()[j] * x[i][j];
            }
            l.add(labels.get(i));
            pred.add(as.get(i).words() < 5 ? 0 : y >= p.cut2() ? 2 : y >= p.cut1() ? 1 : 0);
        }
        Agreement a = Agreement.of(l, pred);
        return a.kappa() + 0.25 * a.exact();
    }

    /** Least squares with an L2 penalty on every weight but the bias: (X'X + lambda I) w = X'y. */
    static double[] ridge(double[][] x, List<Integer> y, double lambda) {
        int d = x[0].length;
        double[][] a = new double[d][d + 1];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    a[j][k] += x[i][j] * x[i][k];
                }
                a[j][d] += x[i][j] * y.get(i);
            }
        }
        for (int j = 1; j < d; j++) {
            a[j][j] += lambda;
        }
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            if (Math.abs(a[c][c]) < 1e-12) {
                continue;
            }
            for (int r = 0; r < d; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= d; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = Math.abs(a[j][j]) < 1e-12 ? 0 : a[j][d] / a[j][j];
        }
        return w;
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
