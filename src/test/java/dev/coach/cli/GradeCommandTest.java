package dev.coach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.coach.llm.CoachConfig;
import dev.coach.testing.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** coach grade end to end, with the shipped bank, the offline grader, and an OpenAI-compatible server on WireMock. */
class GradeCommandTest {
    static final String KEY = "sk-cli-test-KEY-9876543210";
    static final String STRONG = "During generation the model attends from each new token to every earlier one, so it needs the keys and values of all "
            + "previous positions in every layer. Those never change under the causal mask, so the KV cache keeps them: for each layer and each "
            + "KV head it stores the key and value vector of every token seen so far, prompt and generated. Queries are only needed for the "
            + "current token, so there is nothing to cache for them. Without the cache every step would re-run the projections, really the whole "
            + "forward pass, over the entire prefix, which makes generating n tokens quadratic; with it each step processes one token, appends "
            + "its K and V and reads the rest. The price is memory: two tensors times layers times KV heads times head dimension times bytes, per "
            + "token, times tokens in flight. For Llama-3-8B in FP16 that is 2 x 32 x 8 x 128 x 2 bytes, 128 KiB per token, so 4 GiB for a 32k "
            + "context. In serving, that cache rather than the weights limits how many requests fit on a GPU, and reading it every step is a big "
            + "part of why decode is memory-bandwidth-bound. GQA, FP8 caches and paged allocation are the usual ways to cut it. It is not the "
            + "same as a provider's prompt cache, which reuses prefixes across requests.";

    static WireMockServer wm;
    @TempDir
    static Path dir;
    static String savedConfig;

    @BeforeAll
    static void setUp() throws Exception {
        wm = new WireMockServer(options().dynamicPort());
        wm.start();
        savedConfig = System.getProperty("coach.config.dir");
        Path cfg = dir.resolve("config");
        System.setProperty("coach.config.dir", cfg.toString());
        CoachConfig.EMPTY.with("api-key", KEY).save(CoachConfig.file(cfg));
    }

    @AfterAll
    static void tearDown() {
        wm.stop();
        if (savedConfig == null) {
            System.clearProperty("coach.config.dir");
        } else {
            System.setProperty("coach.config.dir", savedConfig);
        }
    }

    static Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The kv-cache question by its full text, as a CI file may name it. */
    static String kvCacheText() {
        return dev.coach.bank.BankLoader.load(List.of(Path.of(System.getProperty("coach.home", ".")).resolve("bank"))).orThrow()
                .question("kv-cache").orElseThrow().question();
    }

    static String line(String question, String answer, int expected) throws Exception {
        return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("question", question, "answer", answer, "expected", expected));
    }

    @Test
    void offlineGradesOneAnswerWithReasons() {
        CliRun r = CliRun.of("grade", "--backend", "offline", "--question", "kv-cache", "--answer", STRONG);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Score: 2 / 2"), r.out());
        assertTrue(r.out().contains("Covered: ") && r.out().contains("Graded by offline"), r.out());
        assertTrue(r.out().contains("Figure ok:"), "the right figures are recognised:\n" + r.out());
    }

    @Test
    void manyAnswersInEveryFormatWithThresholds() throws Exception {
        Path in = write("answers.jsonl", String.join("\n",
                line("kv-cache", STRONG, 2),
                line(kvCacheText(), "I am not sure, something about caching.", 0),
                line("kv-cache", "tokens embeddings attention transformer cache GPU memory bandwidth", 0)) + "\n");
        CliRun table = CliRun.of("grade", "--backend", "offline", "--input", in.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("3 answers, average"), table.out());

        CliRun json = CliRun.of("grade", "--backend", "offline", "--input", in.toString(), "--format", "json", "--min-average", "1.5");
        assertEquals(1, json.exitCode(), "average 0.67 is below 1.5");
        JsonNode doc = Json.MAPPER.readTree(json.out());
        assertEquals(3, doc.get("answers").asInt());
        assertFalse(doc.get("passed").asBoolean());
        assertEquals(2, doc.get("results").get(0).get("grade").get("score").asInt());
        assertTrue(json.err().contains("FAIL: average"), json.err());

        CliRun jsonl = CliRun.of("grade", "--backend", "offline", "--input", in.toString(), "--format", "jsonl", "--expect");
        List<String> lines = jsonl.out().lines().toList();
        assertEquals(3, lines.size());
        for (String l : lines) {
            assertTrue(Json.MAPPER.readTree(l).has("grade"));
        }
        assertEquals(0, jsonl.exitCode(), "every grade matches its expectation: " + jsonl.err());

        CliRun junit = CliRun.of("grade", "--backend", "offline", "--input", in.toString(), "--format", "junit", "--min-score", "1");
        assertEquals(1, junit.exitCode());
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(junit.out().getBytes(StandardCharsets.UTF_8)));
        assertEquals("3", xml.getDocumentElement().getAttribute("tests"));
        assertEquals("2", xml.getDocumentElement().getAttribute("failures"));
        assertEquals(2, xml.getElementsByTagName("failure").getLength());
    }

    @Test
    void badInputIsExitTwoWithFileAndLine() throws Exception {
        Path in = write("bad.jsonl", line("kv-cache", "fine", 2) + "\n{not json\n" + line("kv-cahce", "x", 1) + "\n"
                + "{\"question\": \"kv-cache\", \"answer\": \"y\", \"expected\": 5}\n");
        CliRun r = CliRun.of("grade", "--backend", "offline", "--input", in.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(in + ":2: not a JSON object"), r.err());
        assertTrue(r.err().contains(in + ":3: no bank question with id or text 'kv-cahce'; closest: 'kv-cache'"), r.err());
        assertTrue(r.err().contains(in + ":4: expected grade must be 0, 1 or 2"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void usageErrors() {
        assertEquals(2, CliRun.of("grade", "--backend", "offline").exitCode());
        assertEquals(2, CliRun.of("grade", "--backend", "offline", "--question", "kv-cache", "--answer", "x", "--format", "xml").exitCode());
        CliRun unknown = CliRun.of("grade", "--backend", "gemini", "--question", "kv-cache", "--answer", "x");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown backend 'gemini'"), unknown.err());
    }

    static String completion(String content) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("id", "c1", "object", "chat.completion", "created", 1, "model", "m",
                "choices", List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", content), "finish_reason", "stop")),
                "usage", Map.of("prompt_tokens", 1, "completion_tokens", 1, "total_tokens", 2)));
    }

    @Test
    void theCacheMakesAReRunIdenticalAndFree() throws Exception {
        wm.resetAll();
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(completion("{\"score\": 2, \"covered\": [], \"missed\": [], \"figures\": [], \"traps\": [], \"evidence\": [], \"feedback\": \"good\"}"))));
        Path cache = dir.resolve("cache");
        String[] args = {"grade", "--backend", "openai", "--base-url", wm.baseUrl() + "/v1", "--question", "kv-cache", "--answer", STRONG,
                "--format", "json", "--cache", cache.toString()};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.exitCode(), first.err());
        CliRun second = CliRun.of(args);
        assertEquals(1, wm.getAllServeEvents().size(), "the second run asked no model");
        JsonNode a = Json.MAPPER.readTree(first.out()).get("results").get(0).get("grade");
        JsonNode b = Json.MAPPER.readTree(second.out()).get("results").get(0).get("grade");
        assertEquals(a, b);
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count());
        }
        assertFalse(first.out().contains(KEY) || first.err().contains(KEY));
    }

    @Test
    void aFailingBackendFallsBackOrExitsThree() {
        wm.resetAll();
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"bad key\"}}")));
        String[] base = {"grade", "--backend", "openai", "--base-url", wm.baseUrl() + "/v1", "--question", "kv-cache", "--answer", STRONG};
        CliRun fallback = CliRun.of(base);
        assertEquals(0, fallback.exitCode(), fallback.err());
        assertTrue(fallback.err().contains("warning: kv-cache: the openai:gpt-4o-mini judge failed") && fallback.err().contains("HTTP 401"), fallback.err());
        assertTrue(fallback.out().contains("Graded by offline"), fallback.out());
        String[] strict = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.stream.Stream.of("--no-fallback")).toArray(String[]::new);
        CliRun hard = CliRun.of(strict);
        assertEquals(3, hard.exitCode(), hard.err());
        assertTrue(hard.err().startsWith("coach: backend failure:"), hard.err());
        assertFalse(fallback.err().contains(KEY) || hard.err().contains(KEY), "the key is never printed");
        assertEquals(1 + 1, wm.getAllServeEvents().size(), "401 is not retried");
    }
}
