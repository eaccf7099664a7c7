package dev.coach.download;

import java.time.Duration;

/** What the downloader reports while it works. Every method has a do-nothing default. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** Re-reading a file already on disk to compute its sha256: {@code done} of {@code total} bytes. */
    default void checking(String file, long done, long total) {
    }

    /** A transfer begins (or resumes) at {@code from} bytes; {@code total} is the full size, or -1 when unknown. */
    default void started(String file, long from, long total) {
    }

    /** {@code done} bytes of the file are on disk; {@code total} is -1 when unknown. */
    default void transferred(long done, long total) {
    }

    /** Something worth telling the user, such as a restart from zero. */
    default void note(String message) {
    }

    /** Attempt number {@code failure} of {@code maxFailures} failed; the next one starts after {@code wait}. */
    default void retrying(int failure, int maxFailures, String reason, Duration wait) {
    }

    /** The transfer is over, successfully or not; a progress bar should end its line. */
    default void finished() {
    }
}
