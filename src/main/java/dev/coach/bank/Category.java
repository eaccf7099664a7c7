package dev.coach.bank;

/** A bank category: its id (the file name of its questions), a title and a one-line description. */
public record Category(String id, String title, String description) {
}
