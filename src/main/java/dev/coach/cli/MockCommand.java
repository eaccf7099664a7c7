package dev.coach.cli;

import picocli.CommandLine.Command;

/** {@code coach mock}. */
@Command(name = "mock", mixinStandardHelpOptions = true,
        description = {"A timed mock interview: N questions (default 8) with a mix of levels, 90 seconds per answer, follow-ups along the "
                + "bank's chains, grades hidden until the end. Then a scorecard: each grade with feedback, the average against the 1.5 "
                + "target, averages per category, and the weakest category with what to drill next.",
                "",
                "Keys: Enter adds a line; Alt-Enter (or Esc then Enter), or an empty line twice, submits. Commands on their own line: "
                        + "/skip /hint /repeat /pause /quit /help. Ctrl-C once pauses, twice saves and quits.",
                "Every step is saved to a transcript as it happens; 'coach resume' continues an interrupted session."})
public class MockCommand extends SessionCommand {
    @Override
    String mode() {
        return "mock";
    }

    @Override
    int defaultCount() {
        return 8;
    }

    @Override
    int defaultSeconds() {
        return 90;
    }
}
