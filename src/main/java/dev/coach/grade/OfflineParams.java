package dev.coach.grade;

import java.util.Arrays;
import java.util.Locale;

/**
 * The offline grader's calibrated model, fitted on the calibration part of the development set with
 * {@code coach grade calibrate} (docs/GRADING.md has the command and the agreement it reaches).
 *
 * @param point      similarity at which an outline point counts as made (for covered/missed and feedback)
 * @param trap       similarity to a trap's mistake needed to report the trap
 * @param trapMargin how much closer the sentence must be to the mistake than to any outline point
 * @param measure    similarity between a sentence and a figure's "measures" for a mismatched number to count as wrong
 * @param weights    linear weights over {@link OfflineGrader#FEATURES}
 * @param cut1       predicted value from which the grade is 1
 * @param cut2       predicted value from which the grade is 2
 */
public record OfflineParams(double point, double trap, double trapMargin, double measure, double[] weights, double cut1, double cut2) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OfflineParams[point=%.3f, trap=%.3f, margin=%.3f, measure=%.3f, weights=%s, cuts=%.3f/%.3f]",
                point, trap, trapMargin, measure, Arrays.toString(weights), cut1, cut2);
    }

    /** Java source for this value, to paste into {@link Embedders}. */
    public String javaLiteral() {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < weights.length; i++) {
            w.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", weights[i]));
        }
        return String.format(Locale.ROOT, "new OfflineParams(%.3f, %.3f, %.3f, %.3f, new double[] {%s}, %.4f, %.4f)",
                point, trap, trapMargin, measure, w, cut1, cut2);
    }
}
