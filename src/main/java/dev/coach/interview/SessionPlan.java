package dev.coach.interview;

import java.util.List;

/**
 * What a session will ask: the main questions in order, the time per answer (0 = untimed), how many follow-ups
 * per main question, whether grades are shown as it goes (drill) or only at the end (mock), and the seed that
 * reproduces the plan.
 */
public record SessionPlan(String mode, List<String> questionIds, int secondsPerAnswer, int followups, long seed) {
    public SessionPlan {
        questionIds = List.copyOf(questionIds);
    }

    public boolean drill() {
        return "drill".equals(mode);
    }
}
