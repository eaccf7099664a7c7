package dev.coach.grade;

/** A trap the answer fell into: its 1-based index in the question, the mistake, and the words that committed it. */
public record TrapHit(int index, String mistake, String quote) {
}
