package dev.coach.grade;

import dev.coach.bank.Question;

/** Grades one answer to one bank question. Implementations are pure functions of (question, answer, model). */
public interface Grader {

    Grade grade(Question question, String answer);

    /** A short name for reports: "offline", "openai:gpt-4o-mini", ... */
    String name();
}
