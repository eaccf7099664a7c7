package dev.coach.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.engine.json.Schema.ArraySchema;
import dev.coach.engine.json.Schema.ObjectSchema;
import dev.coach.engine.json.Schema.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonMatcherTest {

    /** The shape of coach's judge reply. */
    static Schema judge() {
        ObjectSchema figure = new ObjectSchema(List.of(new Property("quote", Schema.string(), true),
                new Property("correct", new Schema.BooleanSchema(), true)));
        Schema ids = Schema.oneOf(List.of("p1", "p2", "kv-cache"));
        return new ObjectSchema(List.of(
                new Property("score", new Schema.IntegerSchema(0, 2), true),
                new Property("covered", Schema.array(ids), true),
                new Property("missed", Schema.array(ids), true),
                new Property("figures", Schema.array(figure), true),
                new Property("traps", Schema.array(Schema.integer()), true),
                new Property("evidence", Schema.array(Schema.string()), true),
                new Property("feedback", Schema.string(), true)));
    }

    private static boolean accepts(Schema s, String doc) {
        JsonMatcher.State st = JsonMatcher.feed(JsonMatcher.start(s), doc);
        return st != null && JsonMatcher.complete(st);
    }

    @Test
    void acceptsConformingDocumentsCompactAndPretty() {
        assertTrue(accepts(judge(), "{\"score\":2,\"covered\":[\"p1\",\"kv-cache\"],\"missed\":[],\"figures\":[{\"quote\":\"4 GiB\","
                + "\"correct\":true}],\"traps\":[1],\"evidence\":[\"said \\\"paged\\\" \\u00e9\"],\"feedback\":\"Good — héllo 日本\"}"));
        assertTrue(accepts(judge(), "{\n  \"score\": 0,\n  \"covered\": [],\n  \"missed\": [ \"p2\" ],\n  \"figures\": [],\n"
                + "  \"traps\": [],\n  \"evidence\": [],\n  \"feedback\": \"\"\n}"));
    }

    @Test
    void rejectsWhatBreaksTheSchema() {
        String ok = "{\"score\":1,\"covered\":[],\"missed\":[],\"figures\":[],\"traps\":[],\"evidence\":[],\"feedback\":\"x\"}";
        assertTrue(accepts(judge(), ok));
        assertFalse(accepts(judge(), ok.replace("\"score\":1", "\"score\":3")), "score above the maximum");
        assertFalse(accepts(judge(), ok.replace("\"score\":1", "\"score\":-1")), "negative score");
        assertFalse(accepts(judge(), ok.replace("\"score\":1", "\"score\":01")), "leading zero");
        assertFalse(accepts(judge(), ok.replace("\"score\":1", "\"score\":1.5")), "fraction in an integer");
        assertFalse(accepts(judge(), ok.replace("\"covered\":[]", "\"covered\":[\"p3\"]")), "value outside the enum");
        assertFalse(accepts(judge(), ok.replace(",\"feedback\":\"x\"", "")), "required property missing");
        assertFalse(accepts(judge(), ok.replace("{\"score\":1,", "{\"extra\":1,\"score\":1,")), "unknown property");
        assertFalse(accepts(judge(), ok.replace("\"x\"", "\"a\nb\"")), "raw newline in a string");
        assertFalse(accepts(judge(), ok.replace("\"x\"", "\"\\q\"")), "bad escape");
        assertFalse(accepts(judge(), ok.replace("[],\"evidence\"", "[1,],\"evidence\"")), "trailing comma");
        assertFalse(accepts(judge(), ok.substring(0, ok.length() - 1)), "unfinished document is not complete");
        assertNull(JsonMatcher.feed(JsonMatcher.start(judge()), ok + "x"), "nothing after the document");
        assertNull(JsonMatcher.feed(JsonMatcher.start(judge()), "{" + " ".repeat(JsonMatcher.MAX_WHITESPACE + 1)), "endless whitespace");
    }

    @Test
    void optionalPropertiesMayBeSkippedButOrderIsKept() {
        Schema s = new ObjectSchema(List.of(new Property("a", Schema.integer(), false), new Property("b", Schema.integer(), true),
                new Property("c", Schema.integer(), false)));
        assertTrue(accepts(s, "{\"b\":1}"));
        assertTrue(accepts(s, "{\"a\":1,\"b\":2,\"c\":3}"));
        assertTrue(accepts(s, "{\"b\":2,\"c\":3}"));
        assertFalse(accepts(s, "{\"c\":3}"), "c cannot come before the required b");
        assertFalse(accepts(s, "{\"b\":2,\"a\":1}"), "declared order");
    }

    @Test
    void stringAndArrayCapsForceAnEnd() {
        Schema s = new ArraySchema(new Schema.StringSchema(List.of(), 3), 1, 2);
        assertTrue(accepts(s, "[\"abc\",\"d\"]"));
        assertFalse(accepts(s, "[\"abcd\"]"), "string longer than its cap");
        assertFalse(accepts(s, "[\"a\",\"b\",\"c\"]"), "more items than the cap");
        assertFalse(accepts(s, "[]"), "fewer items than the minimum");
    }

    /**
     * A random walk over allowed bytes — what a sampler does under the mask — must always be able to continue and,
     * biased towards closing, must end in a document that Jackson parses and that matches the schema.
     */
    @Test
    void everyRandomWalkEndsInAValidDocument() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] alphabet = "{}[]\",:0123456789-.eE+tfrueanl \\/bnu\nabcxyzp1kv-é".getBytes(StandardCharsets.UTF_8);
        for (int walk = 0; walk < 100; walk++) {
            JsonMatcher.State s = JsonMatcher.start(judge());
            StringBuilder out = new StringBuilder();
            List<Byte> bytes = new ArrayList<>();
            int steps = 0;
            while (!JsonMatcher.complete(s)) {
                List<Integer> options = new ArrayList<>();
                for (int b = 0; b < 256; b++) {
                    if (JsonMatcher.advance(s, b) != null) {
                        options.add(b);
                    }
                }
                assertFalse(options.isEmpty(), "dead end after: " + out);
                // Prefer closing characters as the walk gets long, like a budget running out.
                int pick = options.get(rnd.nextInt(options.size()));
                if (steps > 60) {
                    for (int b : options) {
                        if (b == '"' || b == ']' || b == '}') {
                            pick = b;
                        }
                    }
                } else {
                    int fromAlphabet = alphabet[rnd.nextInt(alphabet.length)] & 0xFF;
                    if (options.contains(fromAlphabet)) {
                        pick = fromAlphabet;
                    }
                }
                s = JsonMatcher.advance(s, pick);
                assertNotNull(s);
                bytes.add((byte) pick);
                out.append((char) pick);
                steps++;
                assertTrue(steps < 5000, "walk did not end: " + out);
            }
            byte[] raw = new byte[bytes.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = bytes.get(i);
            }
            JsonNode doc = json.readTree(raw);
            assertEquals(7, doc.size(), new String(raw, StandardCharsets.UTF_8));
            int score = doc.get("score").asInt();
            assertTrue(score >= 0 && score <= 2);
            for (JsonNode id : doc.get("covered")) {
                assertTrue(List.of("p1", "p2", "kv-cache").contains(id.asText()));
            }
            for (JsonNode f : doc.get("figures")) {
                assertTrue(f.get("correct").isBoolean());
            }
            assertTrue(doc.get("feedback").isTextual());
        }
    }
}
