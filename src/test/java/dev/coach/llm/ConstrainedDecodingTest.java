package dev.coach.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.engine.LocalModel;
import dev.coach.engine.model.FixtureModels;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 judge replies from a random synthetic model, sampled at temperature 1 with no top-k/top-p filtering (the
 * hardest case for a grammar: the model itself has no idea what JSON is), under the judge's schema and a 120-token
 * limit. Every one must parse and satisfy the schema.
 */
class ConstrainedDecodingTest {
    @TempDir
    Path dir;

    @Test
    void twoHundredHotGenerationsAllParseAndValidate() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> ids = List.of("kv-size", "paging", "eviction");
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(LocalChatModelTest.judgeSchema()).build();
        int total = 0;
        for (String fixture : List.of("llama-q8_0", "qwen3-q6_k")) {
            try (LocalModel engine = LocalModel.open(FixtureModels.write(fixture, dir), 1, 512)) {
                LocalChatModel model = new LocalChatModel(engine, ChatRequestParameters.builder().build(), LocalChatModel.schemaMasks(engine), 99);
                for (int i = 0; i < 100; i++) {
                    ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("Grade answer " + i + " about the KV cache."))
                            .responseFormat(format).temperature(1.0).topK(0).topP(1.0).maxOutputTokens(120).build());
                    String text = r.aiMessage().text();
                    JsonNode doc = json.readTree(text);
                    assertEquals(List.of("score", "covered", "missed", "figures", "traps", "evidence", "feedback"),
                            iterable(doc.fieldNames()), text);
                    assertTrue(doc.get("score").isInt() && doc.get("score").asInt() >= 0 && doc.get("score").asInt() <= 2, text);
                    for (String list : List.of("covered", "missed")) {
                        for (JsonNode id : doc.get(list)) {
                            assertTrue(id.isTextual() && ids.contains(id.asText()), text);
                        }
                    }
                    for (JsonNode f : doc.get("figures")) {
                        assertTrue(f.get("quote").isTextual() && f.get("correct").isBoolean() && f.size() == 2, text);
                    }
                    for (JsonNode t : doc.get("traps")) {
                        assertTrue(t.isIntegralNumber(), text);
                    }
                    for (JsonNode e : doc.get("evidence")) {
                        assertTrue(e.isTextual(), text);
                    }
                    assertTrue(doc.get("feedback").isTextual(), text);
                    assertTrue(r.tokenUsage().outputTokenCount() <= 120);
                    total++;
                }
            }
        }
        assertEquals(200, total);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
