package dev.coach.interview;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The scorecard and the drill feedback as lines of text, shared by the terminal screen and the scripted runs. */
public final class ScorecardText {
    private ScorecardText() {
    }

    public static List<String> scorecard(Scorecard card) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("Scorecard");
        int i = 1;
        for (Scorecard.Item item : card.items()) {
            out.add((i++) + ". " + line(item.main()));
            item.followups().forEach(f -> out.add("   ↳ " + line(f)));
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "Average %.2f / 2 (target %.1f) — %s", card.average(), card.target(),
                card.average() >= card.target() ? "on target" : "below target"));
        card.byCategory().forEach((k, v) -> out.add(String.format(Locale.ROOT, "  %-16s %.2f", k, v)));
        if (card.weakest() != null) {
            out.add("Weakest: " + card.weakest() + ". Drill it next:");
            out.add("  " + card.drillNext());
        }
        return out;
    }

    private static String line(Interview.Answered a) {
        return "[" + a.grade().score() + "/2] " + a.turn().rubric().id() + (a.skipped() ? " (skipped)" : "")
                + (a.hints() > 0 ? " (" + a.hints() + " hint" + (a.hints() > 1 ? "s" : "") + ")" : "") + ": " + a.grade().feedback();
    }

    /** What a drill shows right after an answer: grade, covered and missed points, traps, wrong figures, the outline. */
    public static List<String> feedback(Interview.Answered a) {
        List<String> out = new ArrayList<>();
        out.add("Grade " + a.grade().score() + "/2 — " + a.grade().feedback());
        if (!a.grade().covered().isEmpty()) {
            out.add("  covered: " + String.join(", ", a.grade().covered()));
        }
        if (!a.grade().missed().isEmpty()) {
            out.add("  missed:  " + String.join(", ", a.grade().missed()));
        }
        a.grade().traps().forEach(t -> out.add("  trap: " + t.mistake()));
        a.grade().figures().stream().filter(f -> !f.correct()).forEach(f -> out.add("  figure: " + f.quote() + " (bank: " + f.expected() + ")"));
        out.add("  model outline:");
        a.turn().rubric().outline().forEach(p -> out.add("    " + (p.essential() ? "* " : "- ") + p.point()));
        return out;
    }
}
