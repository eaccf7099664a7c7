package dev.coach.download;

/**
 * The download could not be completed: the network, the server or the local disk failed. What was downloaded so far
 * is kept in the {@code .part} file, so running the same command again resumes. The message says what happened and
 * never contains a token.
 */
public class DownloadException extends RuntimeException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
