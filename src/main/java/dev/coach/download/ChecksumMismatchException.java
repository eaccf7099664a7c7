package dev.coach.download;

/**
 * The file is not the expected one: its size or sha256 differs from the catalogue's or from {@code --sha256}.
 * The partial file has been deleted by the time this is thrown.
 */
public class ChecksumMismatchException extends RuntimeException {
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
