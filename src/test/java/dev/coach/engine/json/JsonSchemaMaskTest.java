package dev.coach.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaMaskTest {
    /** A vocabulary like a small byte-level BPE: every single byte, a few multi-byte pieces, a control and an EOS token. */
    static final List<String> PIECES = new ArrayList<>();
    static final int CONTROL;
    static final int EOS;

    static {
        for (int b = 0; b < 256; b++) {
            PIECES.add(null);
        }
        for (String p : List.of("{\"", "\":", "\",\"", "score", "covered", "missed", "figures", "traps", "evidence", "feedback",
                "quote", "correct", "true", "false", " the", " cache", "\"]", "[]", "},{", "kv", "-cache", "p1", "12", "\n  ", "\\n")) {
            PIECES.add(p);
        }
        CONTROL = PIECES.size();
        PIECES.add("<|im_start|>");
        EOS = PIECES.size();
        PIECES.add("</s>");
    }

    static byte[] bytes(int id) {
        return id < 256 ? new byte[]{(byte) id} : PIECES.get(id).getBytes(StandardCharsets.UTF_8);
    }

    static JsonSchemaMask.Vocabulary vocab() {
        return new JsonSchemaMask.Vocabulary(PIECES.size(), JsonSchemaMaskTest::bytes, id -> id != CONTROL && id != EOS, id -> id == EOS);
    }

    @Test
    void minToCloseIsTheShortestCompletion() {
        // A potential function: some byte lowers it by exactly one, and no byte lowers it by more.
        SplittableRandom rnd = new SplittableRandom(3);
        for (int walk = 0; walk < 30; walk++) {
            JsonMatcher.State s = JsonMatcher.start(JsonMatcherTest.judge());
            for (int step = 0; step < 400 && !JsonMatcher.complete(s); step++) {
                int here = JsonMatcher.minToClose(s);
                boolean progress = false;
                List<JsonMatcher.State> next = new ArrayList<>();
                for (int b = 0; b < 256; b++) {
                    JsonMatcher.State n = JsonMatcher.advance(s, b);
                    if (n != null) {
                        int there = JsonMatcher.minToClose(n);
                        assertTrue(there >= here - 1, "byte " + b + " closes faster than minToClose said (" + here + " -> " + there + ")");
                        progress |= there == here - 1;
                        next.add(n);
                    }
                }
                assertTrue(progress, "no byte brings the document closer to its end at distance " + here);
                s = next.get(rnd.nextInt(next.size()));
            }
        }
    }

    /**
     * Sampling at random under the mask, with a token budget, always gives a document that Jackson parses and that
     * follows the schema — the guarantee the judge relies on — and it ends with the document (EOS or complete).
     */
    @Test
    void randomSamplingUnderTheMaskAlwaysYieldsAValidDocumentWithinTheBudget() throws Exception {
        JsonSchemaMask.Vocabulary v = vocab();
        ObjectMapper json = new ObjectMapper();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int run = 0; run < 60; run++) {
            int budget = 90 + rnd.nextInt(200); // the shortest valid reply is 88 bytes
            JsonSchemaMask mask = new JsonSchemaMask(v, JsonMatcherTest.judge(), JsonSchemaMaskTest::bytes);
            StringBuilder out = new StringBuilder();
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            int used = 0;
            while (!mask.complete() && used < budget) {
                float[] logits = new float[PIECES.size()];
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) rnd.nextGaussian();
                }
                mask.apply(logits, budget - used);
                List<Integer> open = new ArrayList<>();
                for (int i = 0; i < logits.length; i++) {
                    if (logits[i] != Float.NEGATIVE_INFINITY) {
                        open.add(i);
                    }
                }
                assertFalse(open.isEmpty(), "every token masked after " + out);
                assertFalse(open.contains(CONTROL), "a control token is never allowed");
                int pick = open.get(rnd.nextInt(open.size()));
                used++;
                if (pick == EOS) {
                    break;
                }
                mask.accept(pick);
                raw.writeBytes(bytes(pick));
                out.append(PIECES.get(pick) == null ? "?" : PIECES.get(pick));
            }
            assertTrue(mask.complete(), "run " + run + ": the document was not finished within " + budget + " tokens");
            JsonNode doc = json.readTree(raw.toByteArray());
            assertEquals(7, doc.size());
            assertTrue(doc.get("score").asInt() >= 0 && doc.get("score").asInt() <= 2);
            for (JsonNode id : doc.get("missed")) {
                assertTrue(List.of("p1", "p2", "kv-cache").contains(id.asText()), id.toString());
            }
        }
    }

    @Test
    void onlyEndOfGenerationRemainsOnceTheDocumentIsComplete() {
        JsonSchemaMask mask = new JsonSchemaMask(vocab(), new Schema.IntegerSchema(0, 2), JsonSchemaMaskTest::bytes);
        float[] logits = new float[PIECES.size()];
        mask.apply(logits, 10);
        assertTrue(logits['1'] == 0f && logits['3'] == Float.NEGATIVE_INFINITY && logits[EOS] == Float.NEGATIVE_INFINITY);
        mask.accept('1');
        logits = new float[PIECES.size()];
        mask.apply(logits, 10);
        assertEquals(0f, logits[EOS], "a root number may end here");
        assertEquals(Float.NEGATIVE_INFINITY, logits['5'], "15 is out of range");
    }
}
