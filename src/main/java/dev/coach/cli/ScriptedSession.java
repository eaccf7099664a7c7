package dev.coach.cli;

import dev.coach.interview.Interview;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Runs a session from a list of answers: for demos, tests and CI. */
final class ScriptedSession {
    private ScriptedSession() {
    }

    static int run(Interview in, java.util.Iterator<String> answers, PrintWriter out, boolean json, Path file) {
        while (!in.finished()) {
            Interview.Turn t = in.current();
            out.println();
            out.println((t.followup() ? "Follow-up: " : "Q" + (t.main() + 1) + " (" + t.rubric().id() + "): ")
                    + Terminal.wrap(t.text(), Terminal.width() - 12, "  "));
            out.flush();
            if (!answers.hasNext()) {
                out.println("(the answers ran out; the session is saved — continue it with: coach resume " + file + ")");
                out.flush();
                return ExitCode.OK;
            }
            String a = answers.next();
            Interview.Answered done = a.equals("/skip") ? in.skip() : in.submit(a, "typed");
            if (in.plan().drill()) {
                ScorecardView.feedback(out, done);
            }
            out.flush();
        }
        if (json) {
            Json.print(out, ScorecardJson.of(in.scorecard()));
        } else {
            ScorecardView.print(out, in.scorecard());
        }
        return ExitCode.OK;
    }
}
