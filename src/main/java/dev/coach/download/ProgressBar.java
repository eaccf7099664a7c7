package dev.coach.download;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A progress bar for a terminal, redrawn in place (carriage return) at most ten times a second, never wider than the
 * given width: file, bar, percentage, bytes, speed and time left.
 */
public final class ProgressBar implements ProgressListener {
    static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final int width;
    private final LongSupplier clock;
    private final TransferRate rate = new TransferRate();
    private String label = "";
    private boolean checking;
    private long done;
    private long total = -1;
    private long lastDraw;
    private boolean drawnSince;
    private int lastLength;
    private int redraws;

    /** @param width the columns the line may use (it is kept at most 80 and one less than this, so it never wraps) */
    public ProgressBar(PrintWriter out, int width, LongSupplier nanoClock) {
        this.out = out;
        this.width = Math.max(20, Math.min(80, width) - 1);
        this.clock = nanoClock;
        this.lastDraw = nanoClock.getAsLong() - REDRAW_NANOS;
    }

    /** How many times the line has been drawn (for tests of the rate limit). */
    int redraws() {
        return redraws;
    }

    @Override
    public void checking(String file, long done, long total) {
        if (!checking || !label.equals("checking " + file)) {
            checking = true;
            label = "checking " + file;
        }
        update(done, total, done >= total);
    }

    @Override
    public void started(String file, long from, long total) {
        checking = false;
        label = file;
        rate.reset(clock.getAsLong(), from);
        update(from, total, true);
    }

    @Override
    public void transferred(long done, long total) {
        rate.add(clock.getAsLong(), done);
        update(done, total, total >= 0 && done >= total);
    }

    @Override
    public void note(String message) {
        message(message);
    }

    @Override
    public void retrying(int failure, int maxFailures, String reason, Duration wait) {
        message(reason + "; retry " + failure + " of " + maxFailures + " in " + waitText(wait));
    }

    @Override
    public void finished() {
        if (drawnSince) {
            draw();
            out.println();
            out.flush();
            drawnSince = false;
            lastLength = 0;
        }
    }

    static String waitText(Duration wait) {
        return wait.toMillis() < 1000 ? wait.toMillis() + " ms" : wait.toSeconds() + " s";
    }

    private void message(String text) {
        if (drawnSince) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(text);
        out.flush();
        if (drawnSince) {
            draw();
        }
    }

    private void update(long done, long total, boolean force) {
        this.done = done;
        this.total = total;
        long now = clock.getAsLong();
        if (force || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw();
        }
    }

    private void draw() {
        String line = render();
        out.print("\r" + line + (line.length() < lastLength ? " ".repeat(lastLength - line.length()) : ""));
        out.flush();
        lastLength = line.length();
        drawnSince = true;
        redraws++;
    }

    /** The line as it would be drawn now; never longer than the width. */
    String render() {
        List<String> right = new ArrayList<>();
        if (total > 0) {
            right.add(String.format(java.util.Locale.ROOT, "%3d%%", Math.min(100, done * 100 / total)));
            right.add(Sizes.human(done) + "/" + Sizes.human(total));
        } else {
            right.add(Sizes.human(done));
        }
        if (!checking) {
            double r = rate.bytesPerSecond();
            if (r > 0) {
                right.add(Sizes.human((long) r) + "/s");
            }
            long left = rate.secondsLeft(done, total);
            if (left >= 0) {
                right.add("ETA " + TransferRate.clock(left));
            }
        }
        String tail = String.join("  ", right);
        int nameRoom = Math.max(8, width - tail.length() - 2 - 12);
        String name = label.length() <= nameRoom ? label : label.substring(0, nameRoom - 1) + "…";
        int barWidth = width - name.length() - tail.length() - 4;
        StringBuilder line = new StringBuilder(name).append(' ');
        if (total > 0 && barWidth >= 5) {
            int filled = (int) Math.min(barWidth, (double) done / total * barWidth);
            line.append('[').append("=".repeat(filled)).append(filled < barWidth ? ">" : "")
                    .append(" ".repeat(Math.max(0, barWidth - filled - 1))).append("] ");
        } else {
            line.append(' ');
        }
        line.append(tail);
        return line.length() <= width ? line.toString() : line.substring(0, width);
    }
}
