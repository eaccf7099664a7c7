package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.bank.Bank;
import dev.coach.history.Transcript;
import dev.coach.interview.Clock;
import dev.coach.interview.Interview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code coach resume}: continue an interrupted session from its transcript. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted mock or drill where it stopped: answers already given keep their grades, and the question "
                + "that was open is asked again. Without FILE, the newest unfinished transcript in the transcripts directory."})
public class ResumeCommand extends SessionCommand {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The transcript to continue.")
    Path file;

    @Override
    String mode() {
        return "resume";
    }

    @Override
    int defaultCount() {
        return 0;
    }

    @Override
    int defaultSeconds() {
        return 0;
    }

    @Override
    public Integer call() throws IOException {
        Path f = file != null ? file : TranscriptsCommand.newestUnfinished(session.transcriptsDir())
                .orElseThrow(() -> new UsageException("no unfinished session in " + session.transcriptsDir() + "; name a transcript file"));
        if (!Files.isRegularFile(f)) {
            throw new UsageException(f + ": no such transcript");
        }
        List<JsonNode> events = Transcript.read(f);
        if (events.stream().anyMatch(e -> e.path("type").asText().equals("end"))) {
            throw new UsageException(f + ": that session is finished; see it with 'coach transcripts show " + f + "'");
        }
        Bank bank = bankOptions.load();
        try (Transcript t = Transcript.append(f)) {
            Interview in;
            try {
                in = Interview.restore(events, bank, grading.grader(null), Clock.SYSTEM, t);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException(f + ": cannot continue this session (" + e.getMessage() + ")");
            }
            spec.commandLine().getOut().println("resuming " + f + ": " + in.answered().size() + " answer(s) kept");
            spec.commandLine().getOut().flush();
            return run(in, f);
        }
    }
}
