package dev.coach.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.OutlinePoint;
import dev.coach.engine.LocalModel;
import dev.coach.grade.LlmJudge;
import dev.coach.grade.Rubric;
import dev.coach.engine.model.FixtureModels;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local engine behind LangChain4j's interfaces, on a small synthetic llama model (no download, no network). */
class LocalChatModelTest {
    @TempDir
    static Path dir;
    static LocalModel engine;
    static LocalChatModel model;

    @BeforeAll
    static void load() {
        engine = LocalModel.open(FixtureModels.write("llama-q8_0", dir), 2, 512);
        model = new LocalChatModel(engine, ChatRequestParameters.builder().temperature(0.0).build(), LocalChatModel.schemaMasks(engine), 5);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static ChatRequest.Builder ask(String text) {
        return ChatRequest.builder().messages(SystemMessage.from("You grade interview answers."), UserMessage.from(text));
    }

    @Test
    void maxOutputTokensAndFinishReasonAreHonoured() {
        ChatResponse r = model.chat(ask("Explain the KV cache.").maxOutputTokens(7).build());
        assertEquals(7, r.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertTrue(r.tokenUsage().inputTokenCount() > 10, "the system and user messages went through the template");
    }

    @Test
    void streamingGivesTheSameTextInPiecesAsBlockingChat() {
        ChatRequest req = ask("What is paged attention?").maxOutputTokens(12).build();
        String blocking = model.chat(req).aiMessage().text();
        StringBuilder pieces = new StringBuilder();
        AtomicReference<ChatResponse> done = new AtomicReference<>();
        model.chat(req, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.set(response);
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }
        });
        assertEquals(blocking, pieces.toString());
        assertEquals(blocking, done.get().aiMessage().text());
        assertTrue(blocking.length() > 3);
    }

    @Test
    void aStopSequenceEndsTheReplyBeforeIt() {
        String full = model.chat(ask("Define perplexity.").maxOutputTokens(24).build()).aiMessage().text();
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        int at = full.indexOf(stop);
        ChatResponse r = model.chat(ask("Define perplexity.").maxOutputTokens(24).stopSequences(List.of(stop)).build());
        assertEquals(full.substring(0, at), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void perRequestSamplingSettingsAreUsed() {
        ChatRequest greedy = ask("Name a metric.").maxOutputTokens(16).build();
        String g = model.chat(greedy).aiMessage().text();
        // top-k 1 leaves only the likeliest token, whatever the temperature: greedy again
        String topK1 = model.chat(ask("Name a metric.").maxOutputTokens(16).temperature(2.0).topK(1).build()).aiMessage().text();
        assertEquals(g, topK1);
        // a hot, unfiltered request on a random model wanders off the greedy path
        String hot = model.chat(ask("Name a metric.").maxOutputTokens(16).temperature(2.0).topK(0).topP(1.0).build()).aiMessage().text();
        assertNotEquals(g, hot);
    }

    /** The judge's real reply schema, for a rubric with points kv-size, paging and eviction. */
    static JsonSchema judgeSchema() {
        return LlmJudge.schema(new Rubric("kv", "How big is the KV cache?", "inference",
                List.of(new OutlinePoint("kv-size", "2 x layers x kv heads x head dim x bytes", true)),
                List.of(new OutlinePoint("paging", "paged blocks", false), new OutlinePoint("eviction", "evict old blocks", false)),
                List.of(), List.of()));
    }

    /** The JSON response format is enforced: even a random model, sampled hot, returns replies that parse and fit the schema. */
    @Test
    void theJsonSchemaResponseFormatIsAlwaysMet() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(judgeSchema()).build();
        for (int i = 0; i < 8; i++) {
            ChatResponse r = model.chat(ask("Answer number " + i + ": the cache grows with the context.").responseFormat(format)
                    .temperature(1.0).topK(0).topP(1.0).maxOutputTokens(200).build());
            JsonNode doc = json.readTree(r.aiMessage().text());
            assertEquals(7, doc.size(), r.aiMessage().text());
            int score = doc.get("score").asInt();
            assertTrue(doc.get("score").isInt() && score >= 0 && score <= 2, r.aiMessage().text());
            for (JsonNode id : doc.get("covered")) {
                assertTrue(List.of("kv-size", "paging", "eviction").contains(id.asText()), id.toString());
            }
            assertTrue(r.tokenUsage().outputTokenCount() <= 200);
        }
    }
}
