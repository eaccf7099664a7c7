package dev.coach.grade;

import java.util.List;

/** Agreement between a grader and labels on the 0/1/2 scale: exact agreement, quadratic weighted kappa, confusion. */
public record Agreement(int n, double exact, double kappa, int[][] confusion) {

    /** {@code confusion[label][predicted]}. */
    public static Agreement of(List<Integer> labels, List<Integer> predicted) {
        if (labels.size() != predicted.size()) {
            throw new IllegalArgumentException("labels and predictions differ in length");
        }
        int k = 3;
        int[][] c = new int[k][k];
        int same = 0;
        for (int i = 0; i < labels.size(); i++) {
            c[labels.get(i)][predicted.get(i)]++;
            if (labels.get(i).equals(predicted.get(i))) {
                same++;
            }
        }
        int n = labels.size();
        return new Agreement(n, n == 0 ? 0 : (double) same / n, quadraticKappa(c, n), c);
    }

    /** Cohen's kappa with quadratic weights: 1 - sum(w*O) / sum(w*E), w = (i-j)^2 / (k-1)^2. */
    static double quadraticKappa(int[][] c, int n) {
        if (n == 0) {
            return 0;
        }
        int k = c.length;
        double[] rows = new double[k];
        double[] cols = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                rows[i] += c[i][j];
                cols[j] += c[i][j];
            }
        }
        double observed = 0;
        double expected = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double w = (double) (i - j) * (i - j) / ((k - 1) * (k - 1));
                observed += w * c[i][j];
                expected += w * rows[i] * cols[j] / n;
            }
        }
        return expected == 0 ? 1.0 : 1.0 - observed / expected;
    }
}
