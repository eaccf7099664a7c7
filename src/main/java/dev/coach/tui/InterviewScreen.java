package dev.coach.tui;

import dev.coach.interview.Interview;
import dev.coach.interview.Scorecard;
import org.jline.keymap.KeyMap;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The interview on a terminal: the question, a multi-line answer editor (Enter adds a line; Alt-Enter or two
 * empty lines submit), a status line with a live countdown (warnings at 30 s and 10 s; at 0 what was typed is
 * submitted), the commands /skip /hint /repeat /pause /quit /help, colour that honours NO_COLOR and a dumb
 * terminal, and Ctrl-C: once pauses, twice saves and quits. All logic lives in {@link Interview}.
 */
public final class InterviewScreen {
    static final String HELP = "Enter adds a line. Submit with Alt-Enter (or Esc, Enter) or an empty line twice. "
            + "Commands on their own line: /skip /hint /repeat /pause /quit /help. Ctrl-C pauses; twice saves and quits.";

    private final Interview in;
    private final Terminal terminal;
    private final LineReader reader;
    private final boolean color;
    private final Status status;
    private final AtomicBoolean forceSubmit = new AtomicBoolean();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private int interrupts;

    public InterviewScreen(Interview in, Terminal terminal, boolean color) {
        this.in = in;
        this.terminal = terminal;
        this.color = color && !"dumb".equals(terminal.getType());
        this.reader = LineReaderBuilder.builder().terminal(terminal).parser(new AnswerParser()).variable(LineReader.SECONDARY_PROMPT_PATTERN, "  ")
                .variable(LineReader.HISTORY_SIZE, 200).build();
        this.status = "dumb".equals(terminal.getType()) ? null : Status.getStatus(terminal);
        reader.getWidgets().put("coach-submit", () -> {
            forceSubmit.set(true);
            return reader.getBuiltinWidgets().get(LineReader.ACCEPT_LINE).apply();
        });
        KeyMap<org.jline.reader.Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
        main.bind(new Reference("coach-submit"), KeyMap.alt('\r'), KeyMap.alt('\n'));
    }

    /** Runs on the system terminal; returns the exit code. */
    public static int run(Interview in, Path transcript, PrintWriter out) throws IOException {
        try (Terminal t = TerminalBuilder.builder().system(true).build()) {
            boolean color = System.getenv("NO_COLOR") == null;
            return new InterviewScreen(in, t, color).loop(transcript);
        }
    }

    /** Accepts input only when it is a command, or ends with two empty lines, or Alt-Enter / the timer forced it. */
    private final class AnswerParser implements Parser {
        private final DefaultParser plain = new DefaultParser();

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !forceSubmit.get()) {
                String t = line.strip();
                boolean command = t.startsWith("/") && !t.contains("\n");
                if (!command && !line.endsWith("\n\n") && !(t.isEmpty() && line.isEmpty())) {
                    throw new EOFError(-1, -1, "answer continues");
                }
            }
            return plain.parse(line, cursor, ParseContext.COMPLETE);
        }
    }

    int loop(Path transcript) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "coach-countdown");
            th.setDaemon(true);
            return th;
        });
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        try {
            int shown = -1;
            while (!in.finished()) {
                Interview.Turn turn = in.current();
                if (turn.number() != shown) {
                    showQuestion(turn);
                    shown = turn.number();
                }
                forceSubmit.set(false);
                timedOut.set(false);
                String text;
                try {
                    text = reader.readLine(styled("> ", AttributedStyle.BOLD));
                    interrupts = 0;
                } catch (UserInterruptException e) {
                    if (timedOut.get()) {
                        // the countdown reached zero: what was typed is the answer
                        in.submit(e.getPartialLine() == null ? "" : e.getPartialLine().strip(), "timeout");
                        print("Time is up; your answer so far was submitted.");
                        continue;
                    }
                    interrupts++;
                    if (interrupts >= 2) {
                        print("Saved. Continue later with: coach resume " + transcript);
                        return 0;
                    }
                    in.pause();
                    print("Paused (the clock is stopped). Press Enter to go on, or Ctrl-C again to save and quit.");
                    waitForEnter();
                    continue;
                } catch (EndOfFileException e) {
                    print("Saved. Continue later with: coach resume " + transcript);
                    return 0;
                }
                String answer = text.strip();
                if (!timedOut.get() && answer.startsWith("/") && !answer.contains("\n")) {
                    if (command(answer, transcript)) {
                        return 0;
                    }
                    continue;
                }
                Interview.Answered done = in.submit(answer, timedOut.get() ? "timeout" : "typed");
                if (timedOut.get()) {
                    print("Time is up; your answer so far was submitted.");
                }
                if (in.plan().drill()) {
                    feedback(done);
                } else {
                    print("Answer recorded.");
                }
            }
            updateStatus("");
            scorecard(in.scorecard());
            print("Transcript: " + transcript);
            return 0;
        } finally {
            timer.shutdownNow();
            updateStatus(null);
        }
    }

    private boolean command(String c, Path transcript) {
        switch (c.toLowerCase(Locale.ROOT)) {
            case "/skip" -> {
                in.skip();
                print("Skipped.");
            }
            case "/hint" -> print(in.hint().map(h -> "Hint: " + h).orElse("No more hints for this question."));
            case "/repeat" -> showQuestion(in.current());
            case "/pause" -> {
                in.pause();
                print("Paused (the clock is stopped). Press Enter to go on.");
                waitForEnter();
            }
            case "/quit" -> {
                print("Saved. Continue later with: coach resume " + transcript);
                return true;
            }
            case "/help" -> print(HELP);
            default -> print("Unknown command " + c + ". " + HELP);
        }
        return false;
    }

    private void waitForEnter() {
        forceSubmit.set(true);
        try {
            reader.readLine("(paused) ");
        } catch (UserInterruptException | EndOfFileException ignored) {
            // handled by the caller's next read
        } finally {
            forceSubmit.set(false);
            in.resumeTimer();
        }
    }

    private void tick() {
        try {
            if (in.finished() || in.paused()) {
                return;
            }
            long left = in.remainingMillis();
            if (left == Long.MAX_VALUE) {
                updateStatus("untimed · /help for keys");
                return;
            }
            long s = Math.max(0, (left + 999) / 1000);
            String text = String.format(Locale.ROOT, "⏱ %d:%02d left", s / 60, s % 60)
                    + (s <= 10 ? "  — 10 seconds!" : s <= 30 ? "  — 30 seconds left" : "") + " · /help for keys";
            updateStatus(text);
            if (left <= 0 && reader.isReading() && timedOut.compareAndSet(false, true)) {
                // JLine interrupts its reading thread on INT; readLine then returns the partial line
                terminal.raise(org.jline.terminal.Terminal.Signal.INT);
            }
        } catch (RuntimeException ignored) {
            // the screen may be closing; the next tick or the state machine will catch up
        }
    }

    private void updateStatus(String text) {
        if (status == null) {
            return;
        }
        if (text == null) {
            status.update(List.of());
            return;
        }
        long left = in.finished() ? Long.MAX_VALUE : in.remainingMillis();
        AttributedStyle style = !color ? AttributedStyle.DEFAULT
                : left <= 10_000 ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold()
                : left <= 30_000 ? AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW) : AttributedStyle.DEFAULT.faint();
        status.update(List.of(new AttributedString(text, style)));
    }

    private void showQuestion(Interview.Turn t) {
        String label = t.followup() ? "Follow-up" : "Question " + (t.main() + 1) + " of " + in.plan().questionIds().size();
        print("");
        print(styled(label + " · " + t.rubric().category() + " · " + t.rubric().level().label(), AttributedStyle.BOLD));
        print(t.text());
        print(in.plan().secondsPerAnswer() > 0 ? "(" + in.plan().secondsPerAnswer() + " s; /help for keys)" : "(/help for keys)");
    }

    private void feedback(Interview.Answered a) {
        dev.coach.interview.ScorecardText.feedback(a).forEach(this::print);
    }

    private void scorecard(Scorecard c) {
        dev.coach.interview.ScorecardText.scorecard(c).forEach(this::print);
    }

    private String styled(String s, AttributedStyle style) {
        return color ? new AttributedStringBuilder().style(style).append(s).toAnsi(terminal) : s;
    }

    private void print(String raw) {
        String s = wrap(raw, Math.max(40, terminal.getWidth() > 0 ? terminal.getWidth() - 1 : 100));
        if (reader.isReading()) {
            reader.printAbove(s);
        } else {
            terminal.writer().println(s);
            terminal.flush();
        }
    }

    /** Word-wraps each line of {@code text} to {@code width} columns, keeping a line's leading indent on its continuation lines. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            int col = 0;
            boolean first = true;
            for (String word : line.strip().split(" ")) {
                if (first) {
                    out.append(indent).append(word);
                    col = indent.length() + word.length();
                    first = false;
                } else if (col + 1 + word.length() > width) {
                    out.append('\n').append(indent).append("  ").append(word);
                    col = indent.length() + 2 + word.length();
                } else {
                    out.append(' ').append(word);
                    col += 1 + word.length();
                }
            }
        }
        return out.toString();
    }
}
