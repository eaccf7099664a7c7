package dev.coach.grade;

import java.util.ArrayList;
import java.util.List;

/**
 * A 0/1/2 grade with its reasons: the outline points covered and missed, figures right and wrong, traps
 * committed, quotes from the answer as evidence, feedback the candidate can act on, and what produced it.
 */
public record Grade(
        String questionId,
        int score,
        List<String> covered,
        List<String> missed,
        List<FigureCheck> figures,
        List<TrapHit> traps,
        List<String> evidence,
        String feedback,
        String grader,
        String model,
        String promptVersion,
        boolean ignoredGraderText,
        List<String> warnings) {

    public Grade {
        if (score < 0 || score > 2) {
            throw new IllegalArgumentException("score must be 0, 1 or 2, not " + score);
        }
        covered = List.copyOf(covered);
        missed = List.copyOf(missed);
        figures = List.copyOf(figures);
        traps = List.copyOf(traps);
        evidence = List.copyOf(evidence);
        warnings = List.copyOf(warnings);
    }

    /** The same grade with one more warning (e.g. "the judge failed; this is the offline grade"). */
    public Grade withWarning(String warning) {
        List<String> w = new ArrayList<>(warnings);
        w.add(warning);
        return new Grade(questionId, score, covered, missed, figures, traps, evidence, feedback, grader, model, promptVersion,
                ignoredGraderText, w);
    }
}
