package dev.coach.bank;

/** A figure a strong candidate drops, and what it measures. */
public record KeyNumber(String figure, String measures) {
}
