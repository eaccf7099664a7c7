package dev.coach.download;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/** Progress for a log or a pipe: a plain line at each tenth of the file (or every 30 seconds when the size is unknown). */
public final class ProgressLines implements ProgressListener {
    static final long UNKNOWN_SIZE_INTERVAL = 30_000_000_000L;

    private final PrintWriter out;
    private final LongSupplier clock;
    private final TransferRate rate = new TransferRate();
    private String file = "";
    private int lastTenth = -1;
    private long lastLine;
    private boolean checkingAnnounced;

    public ProgressLines(PrintWriter out, LongSupplier nanoClock) {
        this.out = out;
        this.clock = nanoClock;
    }

    @Override
    public void checking(String file, long done, long total) {
        if (!checkingAnnounced && total > 0) {
            checkingAnnounced = true;
            line("checking the " + Sizes.human(total) + " of " + file + " already on disk");
        }
    }

    @Override
    public void started(String file, long from, long total) {
        this.file = file;
        rate.reset(clock.getAsLong(), from);
        lastTenth = total > 0 ? (int) (from * 10 / total) : -1;
        lastLine = clock.getAsLong();
        String size = total >= 0 ? " (" + Sizes.human(total) + ")" : "";
        line(from > 0 ? "resuming " + file + size + " at " + Sizes.human(from) : "downloading " + file + size);
    }

    @Override
    public void transferred(long done, long total) {
        long now = clock.getAsLong();
        rate.add(now, done);
        if (total > 0) {
            int tenth = (int) (done * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                double r = rate.bytesPerSecond();
                long left = rate.secondsLeft(done, total);
                line(file + ": " + tenth * 10 + "% (" + Sizes.human(done) + " of " + Sizes.human(total) + ")"
                        + (r > 0 ? ", " + Sizes.human((long) r) + "/s" : "")
                        + (left >= 0 && done < total ? ", about " + TransferRate.clock(left) + " left" : ""));
            }
        } else if (now - lastLine >= UNKNOWN_SIZE_INTERVAL) {
            double r = rate.bytesPerSecond();
            line(file + ": " + Sizes.human(done) + " so far" + (r > 0 ? ", " + Sizes.human((long) r) + "/s" : ""));
        }
    }

    @Override
    public void note(String message) {
        line(message);
    }

    @Override
    public void retrying(int failure, int maxFailures, String reason, Duration wait) {
        line(reason + "; retry " + failure + " of " + maxFailures + " in " + ProgressBar.waitText(wait));
    }

    private void line(String text) {
        lastLine = clock.getAsLong();
        out.println(text);
        out.flush();
    }
}
