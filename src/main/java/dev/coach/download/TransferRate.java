package dev.coach.download;

import java.util.ArrayDeque;

/** Bytes per second over the last few seconds of a transfer. */
final class TransferRate {
    private static final long WINDOW = 5_000_000_000L;
    private static final long MIN_SPAN = 500_000_000L;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    void reset(long nanos, long bytes) {
        samples.clear();
        samples.add(new long[]{nanos, bytes});
    }

    void add(long nanos, long bytes) {
        samples.addLast(new long[]{nanos, bytes});
        while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW) {
            samples.pollFirst();
        }
    }

    /** Bytes per second, or -1 until enough time has passed to tell. */
    double bytesPerSecond() {
        if (samples.size() < 2) {
            return -1;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long span = last[0] - first[0];
        if (span < MIN_SPAN) {
            return -1;
        }
        return (last[1] - first[1]) * 1e9 / span;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    long secondsLeft(long done, long total) {
        double r = bytesPerSecond();
        if (total < 0 || r <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, total - done) / r);
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(java.util.Locale.ROOT, "%d:%02d", m, s);
    }
}
