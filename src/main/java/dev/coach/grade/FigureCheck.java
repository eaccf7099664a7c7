package dev.coach.grade;

/** A figure the answer dropped: as quoted, whether it is right, and the bank's figure it was checked against. */
public record FigureCheck(String quote, boolean correct, String expected) {
}
