package dev.coach.grade;

/**
 * The offline grader's thresholds, fitted on the calibration part of the development set with
 * {@code coach grade calibrate} (see docs/GRADING.md).
 *
 * @param lo         similarity at or below which a point counts as absent
 * @param hi         similarity at or above which a point counts as fully made
 * @param strong     weighted coverage needed for a 2
 * @param partial    weighted coverage needed for a 1
 * @param trap       similarity to a trap's mistake that counts as committing it
 * @param measure    similarity between a sentence and a figure's "measures" for a mismatched number to count as wrong
 * @param density    share of function words below which an answer is a list of buzzwords
 */
public record OfflineParams(double lo, double hi, double strong, double partial, double trap, double measure, double density) {
}
