package dev.coach.cli;

import dev.coach.interview.Interview;
import dev.coach.interview.Scorecard;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints a scorecard to fit the terminal. */
final class ScorecardView {
    private ScorecardView() {
    }

    static void print(PrintWriter out, Scorecard card) {
        int w = Terminal.width();
        out.println();
        out.println("Scorecard");
        int i = 1;
        for (Scorecard.Item item : card.items()) {
            line(out, (i++) + ". ", item.main(), w);
            for (Interview.Answered f : item.followups()) {
                line(out, "   ↳ ", f, w);
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Average %.2f / 2 (target %.1f) — %s%n", card.average(), card.target(),
                card.average() >= card.target() ? "on target" : "below target");
        card.byCategory().forEach((k, v) -> out.printf(Locale.ROOT, "  %-16s %.2f%n", k, v));
        if (card.weakest() != null) {
            out.println("Weakest: " + card.weakest() + ". Drill it next:");
            out.println("  " + card.drillNext());
        }
        out.flush();
    }

    private static void line(PrintWriter out, String prefix, Interview.Answered a, int width) {
        String head = prefix + "[" + a.grade().score() + "/2] " + a.turn().rubric().id() + (a.skipped() ? " (skipped)" : "")
                + (a.hints() > 0 ? " (" + a.hints() + " hint" + (a.hints() > 1 ? "s" : "") + ")" : "") + ": ";
        out.println(head + Terminal.wrap(a.grade().feedback(), width - 6, " ".repeat(Math.min(8, prefix.length() + 2))));
    }

    static void feedback(PrintWriter out, Interview.Answered a) {
        int w = Terminal.width();
        out.println("Grade " + a.grade().score() + "/2 — " + Terminal.wrap(a.grade().feedback(), w - 12, "  "));
        if (!a.grade().covered().isEmpty()) {
            out.println("  covered: " + String.join(", ", a.grade().covered()));
        }
        if (!a.grade().missed().isEmpty()) {
            out.println("  missed:  " + String.join(", ", a.grade().missed()));
        }
        a.grade().traps().forEach(t -> out.println("  trap: " + t.mistake()));
        a.grade().figures().stream().filter(f -> !f.correct()).forEach(f -> out.println("  figure: " + f.quote() + " (bank: " + f.expected() + ")"));
        out.println("  model outline:");
        a.turn().rubric().outline().forEach(p -> out.println("    " + (p.essential() ? "* " : "- ") + Terminal.wrap(p.point(), w - 8, "      ")));
        out.flush();
    }
}
