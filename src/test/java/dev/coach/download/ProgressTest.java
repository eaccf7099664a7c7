package dev.coach.download;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    static final long MS = 1_000_000L;
    static final long MIB = 1L << 20;

    long now = 5_000 * MS;
    final StringWriter text = new StringWriter();
    final PrintWriter out = new PrintWriter(text);

    /** The separate drawings of the bar, split at the carriage returns and line ends. */
    List<String> drawings() {
        return Arrays.stream(text.toString().split("[\r\n]")).filter(s -> !s.isBlank()).toList();
    }

    @Test
    void theBarIsRedrawnAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar(out, 200, () -> now);
        bar.started("m.gguf", 0, 100 * MIB);
        int first = bar.redraws();
        for (int i = 1; i <= 1000; i++) {
            bar.transferred(i * 1024L, 100 * MIB);   // a thousand updates within the same instant
        }
        assertEquals(first, bar.redraws(), "no redraw before 100 ms have passed");
        now += 100 * MS;
        bar.transferred(2 * MIB, 100 * MIB);
        assertEquals(first + 1, bar.redraws());
        for (int i = 0; i < 50; i++) {
            now += 10 * MS;
            bar.transferred(2 * MIB + i, 100 * MIB);
        }
        assertEquals(first + 6, bar.redraws(), "500 ms of updates every 10 ms: 5 redraws");
        bar.transferred(100 * MIB, 100 * MIB);
        assertEquals(first + 7, bar.redraws(), "the end is always drawn");
    }

    @Test
    void theBarShowsPercentBytesSpeedAndTimeLeft() {
        ProgressBar bar = new ProgressBar(out, 100, () -> now);
        bar.started("qwen2.5-1.5b.gguf", 0, 100 * MIB);
        now += 1000 * MS;
        bar.transferred(10 * MIB, 100 * MIB);
        String line = bar.render();
        // 10 MiB in one second: 10 MiB/s, and the 90 MiB left take 9 s
        assertTrue(line.startsWith("qwen2.5-1.5b.gguf ["), line);
        assertTrue(line.endsWith(" 10%  10.0 MiB/100 MiB  10.0 MiB/s  ETA 0:09"), line);
        assertTrue(line.length() <= 79, line.length() + ": " + line);
        bar.finished();
        assertTrue(text.toString().startsWith("\r") && text.toString().endsWith(System.lineSeparator()), "drawn in place, ended with a newline");
    }

    @Test
    void theBarFitsEightyColumnsWhateverItShows() {
        for (int width : new int[]{40, 80, 100, 300}) {
            ProgressBar bar = new ProgressBar(out, width, () -> now);
            bar.started("a-very-long-model-file-name-that-goes-on-and-on-Q4_K_M.gguf", 0, 3_999_999_999L);
            for (long done = 0; done <= 3_999_999_999L; done += 123_456_789L) {
                now += 150 * MS;
                bar.transferred(done, 3_999_999_999L);
                assertTrue(bar.render().length() <= Math.min(80, width) - 1, width + ": " + bar.render());
            }
        }
        for (String d : drawings()) {
            assertTrue(d.stripTrailing().length() <= 79, d);
        }
    }

    @Test
    void anUnknownSizeShowsBytesWithoutABar() {
        ProgressBar bar = new ProgressBar(out, 80, () -> now);
        bar.started("m.gguf", 0, -1);
        now += 2000 * MS;
        bar.transferred(4 * MIB, -1);
        assertEquals("m.gguf  4.00 MiB  2.00 MiB/s", bar.render());
    }

    @Test
    void messagesClearTheBarAndItComesBack() {
        ProgressBar bar = new ProgressBar(out, 80, () -> now);
        bar.started("m.gguf", 0, 100);
        bar.retrying(1, 5, "the connection was lost", Duration.ofSeconds(2));
        String s = text.toString();
        assertTrue(s.contains("the connection was lost; retry 1 of 5 in 2 s" + System.lineSeparator()), s);
        assertTrue(s.endsWith("\r" + bar.render()), "the bar is drawn again after the message: " + s);
        assertTrue(bar.render().startsWith("m.gguf [>  ") && bar.render().endsWith("]   0%  0 B/100 B"), bar.render());
    }

    @Test
    void plainLinesComeAtEachTenthOfTheFile() {
        ProgressLines lines = new ProgressLines(out, () -> now);
        lines.checking("m.gguf.part", 0, 20 * MIB);
        lines.checking("m.gguf.part", 20 * MIB, 20 * MIB);
        lines.started("m.gguf", 20 * MIB, 100 * MIB);
        for (long done = 21 * MIB; done <= 100 * MIB; done += MIB) {
            now += 100 * MS;
            lines.transferred(done, 100 * MIB);
        }
        List<String> printed = text.toString().lines().toList();
        assertEquals("checking the 20.0 MiB of m.gguf.part already on disk", printed.get(0));
        assertEquals("resuming m.gguf (100 MiB) at 20.0 MiB", printed.get(1));
        assertEquals(2 + 8, printed.size(), "30%, 40%, ... 100%: " + printed);
        // 10 MiB a second (1 MiB every 100 ms), so the 70 MiB left at 30% take 7 s
        assertEquals("m.gguf: 30% (30.0 MiB of 100 MiB), 10.0 MiB/s, about 0:07 left", printed.get(2));
        assertEquals("m.gguf: 100% (100 MiB of 100 MiB), 10.0 MiB/s", printed.getLast());
    }
}
