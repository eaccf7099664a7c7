package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coach.engine.model.FixtureModels;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRunCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void fixture() {
        model = FixtureModels.write("qwen2-q8_0", dir);
    }

    @Test
    void runStreamsTheTextAndReportsSpeedOnStderr() {
        CliRun r = CliRun.of("model", "run", model.toString(), "-p", "The quick brown fox", "-n", "6", "--temp", "0", "-t", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().matches("(?s).*prompt \\d+ tokens at [0-9.]+ t/s; generated 6 tokens at [0-9.]+ t/s \\(length\\).*"), r.err());
        CliRun again = CliRun.of("model", "run", model.toString(), "-p", "The quick brown fox", "-n", "6", "--temp", "0", "-t", "2");
        assertEquals(r.out(), again.out(), "greedy output does not depend on the thread count");
    }

    @Test
    void jsonReportsTokensFinishAndTimings() throws Exception {
        CliRun r = CliRun.of("model", "run", model.toString(), "-p", "Hello", "-n", "4", "--temp", "0", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(4, doc.get("generated_tokens").asInt());
        assertEquals("length", doc.get("finish").asText());
        assertTrue(doc.get("prompt_tokens").asInt() >= 1);
        assertTrue(doc.get("generation_tokens_per_second").asDouble() > 0);
        CliRun plain = CliRun.of("model", "run", model.toString(), "-p", "Hello", "-n", "4", "--temp", "0");
        assertEquals(doc.get("text").asText() + System.lineSeparator(), plain.out());
    }

    @Test
    void badInputIsAUsageErrorThatSaysWhat() {
        CliRun missing = CliRun.of("model", "run", dir.resolve("nope.gguf").toString(), "-p", "x");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.gguf: no such file"), missing.err());
        CliRun badTemp = CliRun.of("model", "run", model.toString(), "-p", "x", "--temp", "-1");
        assertEquals(2, badTemp.exitCode());
        assertTrue(badTemp.err().contains("temperature"), badTemp.err());
    }

    @Test
    void chatKeepsTheConversationAndAnswersEachLine() {
        CliRun r = CliRun.withInput("Hello there\n\n/reset\nSecond question\n/quit\nnever read\n",
                "model", "chat", model.toString(), "-n", "5", "--temp", "0", "--stats");
        assertEquals(0, r.exitCode(), r.err());
        String[] replies = r.out().split(System.lineSeparator());
        assertEquals(2, replies.length, "one reply per message, none after /quit: " + r.out());
        assertTrue(r.err().contains("(conversation cleared)"), r.err());
        assertEquals(2, r.err().split("generated", -1).length - 1, r.err());
    }
}
