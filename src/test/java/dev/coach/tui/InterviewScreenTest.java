package dev.coach.tui;

import dev.coach.bank.Bank;
import dev.coach.bank.BankLoader;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.grade.Grade;
import dev.coach.grade.Grader;
import dev.coach.history.Transcript;
import dev.coach.interview.Clock;
import dev.coach.interview.Interview;
import dev.coach.interview.SessionPlan;
import dev.coach.testing.BankFixtures;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interview screen on JLine's virtual (external, stream-backed) terminal: no TTY needed. */
class InterviewScreenTest {
    @TempDir
    Path dir;

    static final Grader GRADER = new Grader() {
        @Override
        public Grade grade(Question q, String answer) {
            int s = answer.contains("good") ? 2 : answer.isBlank() ? 0 : 1;
            return new Grade(q.id(), s, List.of(), q.outline().stream().map(OutlinePoint::id).toList(), List.of(), List.of(), List.of(),
                    "feedback for [" + answer.replace("\n", "|") + "]", "script", "none", "none", false, List.of());
        }

        @Override
        public String name() {
            return "script";
        }
    };

    record Run(Interview interview, String screen) {
    }

    Run session(String mode, int seconds, String keys, long waitMillis) throws Exception {
        Bank bank = BankLoader.load(List.of(BankFixtures.validBank(dir.resolve("bank")))).orThrow();
        Interview in = new Interview(new SessionPlan(mode, List.of("alpha", "beta"), seconds, 0, 1), bank, GRADER, Clock.SYSTEM, Transcript.none());
        in.start("test");
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(keyboard, 1 << 16);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        // JLine's stream-backed terminal (no pty): keystrokes in, screen bytes out
        Terminal t = new org.jline.terminal.impl.ExternalTerminal("test", "xterm-256color", input, screen, StandardCharsets.UTF_8);
        t.setSize(new org.jline.terminal.Size(100, 30));
        // a thread of its own: the common pool has a single worker on a two-core machine
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread screenThread = new Thread(() -> {
            try {
                done.complete(new InterviewScreen(in, t, false).loop(dir.resolve("t.jsonl")));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "screen-under-test");
        screenThread.setDaemon(true);
        screenThread.start();
        for (char c : keys.toCharArray()) {
            keyboard.write(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            if (c == '\r' || c == '\033') {
                Thread.sleep(60);
            }
        }
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        try {
            assertEquals(0, done.get(20, TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement el : screenThread.getStackTrace()) {
                stack.append("\n  at ").append(el);
            }
            throw new AssertionError("the screen did not finish; it showed:\n" + screen.toString(StandardCharsets.UTF_8).replace("\033", "<ESC>")
                    + "\nscreen thread:" + stack, e);
        }
        t.close();
        return new Run(in, screen.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDrillOnTheVirtualTerminal() throws Exception {
        String keys = "/hint\r"                      // reveals one outline point
                + "first line good\rsecond line\r\r\r" // Enter adds lines; two empty lines submit
                + "/skip\r";                           // skips beta; the session ends
        Run r = session("drill", 0, keys, 0);
        assertTrue(r.interview().finished());
        List<Interview.Answered> a = r.interview().answered();
        assertEquals(2, a.size());
        assertEquals("first line good\nsecond line", a.getFirst().answer(), "a multi-line answer");
        assertEquals(1, a.getFirst().hints());
        assertTrue(a.get(1).skipped());
        assertTrue(r.screen().contains("Hint: The first essential idea."), r.screen());
        assertTrue(r.screen().contains("Grade 2/2"), "drill shows the grade right away");
        assertTrue(r.screen().contains("Scorecard"));
    }

    @Test
    void altEnterSubmitsAndTheCountdownAutoSubmitsAtZero() throws Exception {
        String keys = "quick good answer\033\r"  // Alt-Enter submits at once
                + "still typing when time ran out";  // never submitted by hand
        Run r = session("mock", 2, keys, 3500);
        List<Interview.Answered> a = r.interview().answered();
        assertEquals("quick good answer", a.getFirst().answer());
        assertEquals("typed", a.getFirst().via());
        assertEquals("timeout", a.get(1).via(), "the clock submitted the second answer");
        assertEquals("still typing when time ran out", a.get(1).answer());
        assertTrue(r.screen().contains("Time is up"), r.screen());
        assertTrue(r.screen().contains("left"), "the status line shows the countdown");
        assertTrue(r.screen().contains("Average"), "mock shows grades only in the scorecard");
    }
}
