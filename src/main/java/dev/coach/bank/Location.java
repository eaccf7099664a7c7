package dev.coach.bank;

import java.nio.file.Path;

/** A place in a bank file, 1-based line and column, as editors show them. */
public record Location(Path file, int line, int column) {

    public static Location of(Path file) {
        return new Location(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
