package dev.coach.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.coach.bank.BankLoader;
import dev.coach.bank.Question;
import dev.coach.llm.Backend;
import dev.coach.llm.BackendException;
import dev.coach.llm.BackendSettings;
import dev.coach.llm.ChatModels;
import dev.coach.llm.PromptTemplate;
import dev.coach.llm.RetryingHttpClient;
import dev.coach.llm.RetryingHttpClientBuilder;
import dev.coach.testing.BankFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The judge against WireMock speaking the OpenAI chat-completions and Ollama /api/chat wire formats. */
class LlmJudgeHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-test-SECRET-0123456789";
    static final String GOOD = "{\"score\": 2, \"covered\": [\"first\", \"second\"], \"missed\": [\"third\", \"fourth\"], \"figures\": [{\"quote\": \"4 GiB\", \"correct\": true}], "
            + "\"traps\": [], \"evidence\": [\"the first idea\"], \"feedback\": \"Both essential ideas are explained.\"}";

    WireMockServer wm;
    List<Duration> sleeps = new ArrayList<>();
    Question question;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort());
        wm.start();
        question = BankLoader.load(List.of(BankFixtures.validBank(dir))).orThrow().question("alpha").orElseThrow();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    /** A stand-in for the offline grader, so these tests measure the judge and nothing else. */
    static final Grader FALLBACK = new Grader() {
        @Override
        public Grade grade(Question q, String answer) {
            return new Grade(q.id(), 1, List.of(), List.of(), List.of(), List.of(), List.of(), "offline feedback", "offline", "test", "offline-1", false, List.of());
        }

        @Override
        public String name() {
            return "offline";
        }
    };

    PromptTemplate template() {
        return PromptTemplate.load("judge", Path.of(System.getProperty("coach.home", ".")), null);
    }

    LlmJudge openai(Grader fallback, Duration readTimeout, int retries) {
        BackendSettings s = new BackendSettings(Backend.OPENAI, "gpt-4o-mini", wm.baseUrl() + "/v1", KEY, "test");
        var http = new RetryingHttpClientBuilder(new RetryingHttpClient.RetryPolicy(retries, Duration.ofMillis(10), Duration.ofSeconds(5)), sleeps::add);
        return new LlmJudge(ChatModels.build(s, http, readTimeout), "openai:gpt-4o-mini", template(), fallback, () -> "NONCE123");
    }

    LlmJudge ollama(Grader fallback) {
        BackendSettings s = new BackendSettings(Backend.OLLAMA, "llama3.1:8b", wm.baseUrl(), null, "test");
        var http = new RetryingHttpClientBuilder(new RetryingHttpClient.RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(5)), sleeps::add);
        return new LlmJudge(ChatModels.build(s, http, Duration.ofSeconds(5)), "ollama:llama3.1:8b", template(), fallback, () -> "NONCE123");
    }

    static String completion(String content) throws Exception {
        return JSON.writeValueAsString(Map.of("id", "chatcmpl-1", "object", "chat.completion", "created", 1, "model", "gpt-4o-mini",
                "choices", List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", content), "finish_reason", "stop")),
                "usage", Map.of("prompt_tokens", 100, "completion_tokens", 50, "total_tokens", 150)));
    }

    static String ollamaChat(String content) throws Exception {
        return JSON.writeValueAsString(Map.of("model", "llama3.1:8b", "created_at", "2026-11-23T12:00:00Z",
                "message", Map.of("role", "assistant", "content", content), "done", true, "done_reason", "stop",
                "prompt_eval_count", 100, "eval_count", 50));
    }

    void openaiReplies(String... contents) throws Exception {
        String state = Scenario.STARTED;
        for (int i = 0; i < contents.length; i++) {
            String next = "reply-" + (i + 1);
            wm.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("replies").whenScenarioStateIs(state)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(contents[i])))
                    .willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void openaiCorrectGradeAndTheRequestOnTheWire() throws Exception {
        openaiReplies(GOOD);
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 2).grade(question, "The first essential idea and the second one, 4 GiB.");
        assertEquals(2, g.score());
        assertEquals(List.of("first", "second"), g.covered());
        assertEquals("llm", g.grader());
        assertTrue(g.promptVersion().startsWith("judge@"), g.promptVersion());
        assertTrue(g.warnings().isEmpty(), g.warnings()::toString);
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.0")))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true"))));
        JsonNode body = JSON.readTree(wm.getAllServeEvents().getFirst().getRequest().getBodyAsString());
        String user = body.get("messages").get(1).get("content").asText();
        assertTrue(user.contains("<answer-NONCE123>\nThe first essential idea"), user);
        assertTrue(user.contains("- first: The first essential idea."), "the rubric is in the prompt");
        assertFalse(JSON.writeValueAsString(g).contains(KEY), "the key never reaches a grade");
    }

    @Test
    void rateLimitWithRetryAfterIsHonouredThenSucceeds() throws Exception {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("{\"error\":{\"message\":\"Rate limit\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(GOOD))));
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 2).grade(question, "an answer");
        assertEquals(2, g.score());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps, "waited exactly what Retry-After asked");
        assertEquals(2, wm.getAllServeEvents().size());
    }

    @Test
    void serverErrorsUntilRetriesRunOutGiveTheOfflineGradeWithAWarning() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503).withBody("overloaded")));
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 3).grade(question, "an answer");
        assertEquals("offline", g.grader());
        assertEquals(1, g.warnings().size());
        assertTrue(g.warnings().getFirst().contains("HTTP 503") && g.warnings().getFirst().contains("offline grade instead"), g.warnings().getFirst());
        assertEquals(4, wm.getAllServeEvents().size(), "one call and three retries");
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), sleeps, "exponential backoff");
        assertFalse(g.warnings().getFirst().contains(KEY));
    }

    @Test
    void withoutFallbackABackendFailureIsAnError() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500)));
        BackendException e = assertThrows(BackendException.class, () -> openai(null, Duration.ofSeconds(5), 1).grade(question, "x y z"));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void aTimeoutFallsBack() throws Exception {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withFixedDelay(3000)
                .withHeader("Content-Type", "application/json").withBody(completion(GOOD))));
        long t0 = System.nanoTime();
        Grade g = openai(FALLBACK, Duration.ofMillis(500), 1).grade(question, "an answer");
        assertEquals("offline", g.grader());
        assertTrue(g.warnings().getFirst().contains("no answer"), g.warnings().getFirst());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2.5, "the read timeout cut the wait short");
    }

    @Test
    void malformedJsonIsRepairedOnce() throws Exception {
        openaiReplies("{score: 2, covered: [first", GOOD);
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 0).grade(question, "an answer");
        assertEquals(2, g.score());
        assertEquals("llm", g.grader());
        assertTrue(g.warnings().getFirst().contains("repaired"), g.warnings()::toString);
        JsonNode second = JSON.readTree(wm.getAllServeEvents().getFirst().getRequest().getBodyAsString());
        JsonNode messages = second.get("messages");
        assertEquals("assistant", messages.get(2).get("role").asText(), "the bad reply is shown back to the model");
        assertTrue(messages.get(3).get("content").asText().contains("not valid"));
    }

    @Test
    void truncatedJsonTwiceFallsBack() throws Exception {
        String truncated = GOOD.substring(0, GOOD.length() / 2);
        openaiReplies(truncated, truncated);
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 0).grade(question, "an answer");
        assertEquals("offline", g.grader());
        assertTrue(g.warnings().getFirst().contains("invalid twice"), g.warnings().getFirst());
    }

    @Test
    void aScoreOfThreeIsRejected() throws Exception {
        String three = GOOD.replace("\"score\": 2", "\"score\": 3");
        openaiReplies(three, three);
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 0).grade(question, "an answer");
        assertEquals("offline", g.grader());
        assertTrue(g.warnings().getFirst().contains("\"score\" is 3 but must be 0, 1 or 2"), g.warnings().getFirst());
    }

    @Test
    void unknownPointIdsAreRejectedAndNamed() throws Exception {
        String bad = GOOD.replace("\"first\", \"second\"", "\"first\", \"kv-magic\"");
        openaiReplies(bad, GOOD);
        Grade g = openai(FALLBACK, Duration.ofSeconds(5), 0).grade(question, "an answer");
        assertEquals(2, g.score());
        assertTrue(g.warnings().getFirst().contains("\"kv-magic\" in \"covered\" is not an outline point id"), g.warnings().getFirst());
    }

    @Test
    void ollamaChatFormatWorksEndToEnd() throws Exception {
        wm.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ollamaChat(GOOD))));
        Grade g = ollama(FALLBACK).grade(question, "The first essential idea and the second one.");
        assertEquals(2, g.score());
        assertEquals("ollama:llama3.1:8b", g.model());
        JsonNode body = JSON.readTree(wm.getAllServeEvents().getFirst().getRequest().getBodyAsString());
        assertEquals("llama3.1:8b", body.get("model").asText());
        assertEquals(0.0, body.get("options").get("temperature").asDouble());
        assertEquals("object", body.get("format").get("type").asText(), "the JSON schema goes in Ollama's format field");
        assertTrue(body.get("format").get("properties").has("score"));
        assertFalse(body.get("stream").asBoolean(true));
    }

    @Test
    void ollamaServerErrorFallsBack() {
        wm.stubFor(post(urlEqualTo("/api/chat")).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"model crashed\"}")));
        Grade g = ollama(FALLBACK).grade(question, "an answer");
        assertEquals("offline", g.grader());
        assertEquals(3, wm.getAllServeEvents().size());
    }
}
