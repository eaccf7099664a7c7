package dev.coach.cli;

import dev.coach.interview.Interview;
import dev.coach.interview.Scorecard;
import dev.coach.interview.ScorecardText;

import java.io.PrintWriter;
import java.util.List;

/** Prints the scorecard and drill feedback for scripted runs, wrapped to the terminal width. */
final class ScorecardView {
    private ScorecardView() {
    }

    static void print(PrintWriter out, Scorecard card) {
        lines(out, ScorecardText.scorecard(card));
    }

    static void feedback(PrintWriter out, Interview.Answered a) {
        lines(out, ScorecardText.feedback(a));
    }

    private static void lines(PrintWriter out, List<String> lines) {
        int w = Terminal.width();
        for (String l : lines) {
            String indent = l.substring(0, l.length() - l.stripLeading().length());
            out.println(indent + Terminal.wrap(l.strip(), w - indent.length(), indent + "  "));
        }
        out.flush();
    }
}
