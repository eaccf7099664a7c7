package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.history.Transcript;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** coach mock without a terminal, end to end with the offline grader; and a session killed with -9, then resumed. */
class MockSessionTest {
    @TempDir
    Path dir;

    static final String ANSWER = "Temperature divides the logits by T before the softmax. Below one it sharpens the distribution toward the "
            + "most likely token, above one it flattens it, and at zero it becomes greedy decoding that always takes the argmax. It changes "
            + "how spread out the probability is, not which tokens are possible, and lowering it does not make the model more correct.";

    @Test
    void aScriptedMockRunsEndToEndWithTheOfflineGrader() throws Exception {
        Path answers = dir.resolve("answers.txt");
        Files.writeString(answers, ANSWER + "\n---\n/skip\n---\nI am not sure.\n---\n" + ANSWER + "\n");
        CliRun r = CliRun.of("mock", "--category", "decoding", "--count", "2", "--seed", "11", "--followups", "1", "--backend", "offline",
                "--answers", answers.toString(), "--transcripts", dir.resolve("tr").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Scorecard"), r.out());
        assertTrue(r.out().contains("Average") && r.out().contains("target 1.5"), r.out());
        assertTrue(r.out().contains("Drill it next:"), r.out());
        Path file;
        try (Stream<Path> s = Files.list(dir.resolve("tr"))) {
            file = s.findFirst().orElseThrow();
        }
        List<JsonNode> events = Transcript.read(file);
        List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
        assertEquals("session", types.getFirst());
        assertEquals("end", types.getLast());
        assertEquals(4, types.stream().filter(t -> t.equals("grade")).count(), "two main questions, each with a follow-up");
        assertTrue(events.stream().anyMatch(e -> e.path("depth").asInt() == 1), "follow-ups are recorded with their parent");
        assertEquals("offline", events.getFirst().get("grader").asText());
        CliRun show = CliRun.of("transcripts", "show", file.toString());
        assertTrue(show.out().contains("**Grade "), show.out());
        CliRun list = CliRun.of("transcripts", "list", "--transcripts", dir.resolve("tr").toString());
        assertTrue(list.out().contains("finished"), list.out());
    }

    @Test
    void killedWithSigkillThenResumed() throws Exception {
        Path tr = dir.resolve("tr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Dcoach.home=" + System.getProperty("coach.home"), "-Dcoach.cache.dir=" + System.getProperty("coach.cache.dir", dir.resolve("c").toString()),
                "dev.coach.cli.Main", "mock", "--category", "decoding", "--count", "3", "--seed", "5", "--followups", "0", "--backend", "offline",
                "--transcripts", tr.toString())
                .redirectErrorStream(true).start();
        OutputStream stdin = p.getOutputStream();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        stdin.write((ANSWER + "\n---\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        // wait until the first answer is graded and the second question asked, then type half an answer and kill -9
        String line;
        int questions = 0;
        while ((line = stdout.readLine()) != null) {
            if (line.startsWith("Q")) {
                questions++;
            }
            if (questions == 2) {
                break;
            }
        }
        assertEquals(2, questions, "the child got to the second question");
        stdin.write("half an answer that is still being typed".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        p.destroyForcibly();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));

        Path file;
        try (Stream<Path> s = Files.list(tr)) {
            file = s.findFirst().orElseThrow();
        }
        List<JsonNode> events = Transcript.read(file);
        assertEquals(1, events.stream().filter(e -> e.get("type").asText().equals("grade")).count(), "the graded answer survived");
        assertFalse(events.stream().anyMatch(e -> e.get("type").asText().equals("end")));
        assertFalse(Files.readString(file).contains("half an answer"), "only the answer being typed is lost");

        Path rest = dir.resolve("rest.txt");
        Files.writeString(rest, ANSWER + "\n---\n" + ANSWER + "\n");
        CliRun r = CliRun.of("resume", file.toString(), "--backend", "offline", "--answers", rest.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 answer(s) kept"), r.out());
        assertTrue(r.out().contains("Scorecard"), r.out());
        List<JsonNode> after = Transcript.read(file);
        assertEquals(3, after.stream().filter(e -> e.get("type").asText().equals("grade")).count());
        assertEquals("end", after.getLast().get("type").asText());
        CliRun again = CliRun.of("resume", file.toString(), "--backend", "offline");
        assertEquals(2, again.exitCode(), "a finished session cannot be resumed");
    }
}
