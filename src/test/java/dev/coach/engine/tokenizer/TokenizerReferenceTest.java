package dev.coach.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token-for-token equality with llama.cpp. The fixture vocabularies are regenerated here (they must hash to what
 * llama.cpp was given); the expected ids and texts in {@code src/test/resources/engine/tokens/<kind>.json} come from
 * llama.cpp itself, through {@code scripts/engine-reference/regen-tokens.sh}.
 */
class TokenizerReferenceTest {
    private static final String REGEN = "run scripts/engine-reference/regen-tokens.sh and commit the JSON";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama-bpe", "qwen2", "spm", "spm-noprefix"})
    void matchesLlamaCpp(String kind) throws Exception {
        JsonNode ref = reference(kind);
        byte[] gguf = VocabFixtures.gguf(kind);
        assertEquals(ref.get("gguf_sha256").asText(), VocabFixtures.sha256(gguf),
                kind + ": the fixture vocabulary is not the one llama.cpp tokenized (VocabFixtures changed?); " + REGEN);

        List<TokenCorpus.Case> corpus = TokenCorpus.load();
        JsonNode cases = ref.get("cases");
        assertEquals(corpus.size(), cases.size(), kind + ": corpus.txt and " + kind + ".json disagree on the number of texts; " + REGEN);
        for (int i = 0; i < corpus.size(); i++) {
            assertEquals(corpus.get(i).text(), cases.get(i).get("text").asText(),
                    kind + ": corpus line " + corpus.get(i).line() + " differs from the text llama.cpp was given; " + REGEN);
        }

        Path p = dir.resolve(kind + ".gguf");
        Files.write(p, gguf);
        Tokenizer t;
        try (GgufFile f = GgufReader.open(p)) {
            t = Tokenizer.from(f);
        }
        assertEquals(kind.startsWith("spm") ? SentencePieceTokenizer.class : BpeTokenizer.class, t.getClass());

        // Vocabulary-level facts.
        assertEquals(ref.get("n_vocab").asInt(), t.vocabSize(), kind + ": vocabulary size");
        assertEquals(ref.get("bos").asInt(), t.bosId(), kind + ": BOS id");
        assertEquals(ref.get("eos").asInt(), t.eosId(), kind + ": EOS id");
        assertEquals(ref.get("add_bos").asBoolean(), t.addsBos(), kind + ": add BOS");
        assertEquals(ref.get("add_eos").asBoolean(), t.addsEos(), kind + ": add EOS");
        for (int id = 0; id < t.vocabSize(); id++) {
            JsonNode a = ref.get("attributes").get(Integer.toString(id));
            assertEquals(a == null ? Tokenizer.ATTR_NORMAL : a.asInt(), t.tokenAttributes(id),
                    kind + ": attributes of token " + id + " '" + t.token(id) + "'");
        }
        List<Integer> eog = new ArrayList<>();
        ref.get("eog").forEach(n -> eog.add(n.asInt()));
        List<Integer> ours = IntStream.range(0, t.vocabSize()).filter(t::isEndOfGeneration).boxed().toList();
        assertEquals(eog, ours, kind + ": end-of-generation tokens");

        // Every corpus text, with and without special tokens parsed, and detokenized again.
        List<String> problems = new ArrayList<>();
        int roundTrips = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            String where = kind + ", corpus line " + c.get("line").asInt() + " " + quote(text);
            int[] plain = ids(c.get("plain"));
            int[] special = ids(c.get("special"));
            compareIds(t, where + ", tokenize(parseSpecial=false)", plain, t.tokenize(text, false, false), problems);
            compareIds(t, where + ", tokenize(parseSpecial=true)", special, t.tokenize(text, false, true), problems);
            compareIds(t, where + ", encode(text) with the file's BOS/EOS", withDefaults(ref, special), t.encode(text), problems);
            compareText(where + ", detokenize(plain ids, hide special)", c.get("plain_detokenized").asText(),
                    t.detokenize(plain, false, false), problems);
            compareText(where + ", detokenize(special ids, render special)", c.get("special_detokenized_rendered").asText(),
                    t.detokenize(special, false, true), problems);
            compareText(where + ", detokenize(special ids, hide special)", c.get("special_detokenized_hidden").asText(),
                    t.detokenize(special, false, false), problems);
            // Where llama.cpp gets the text back, so must we (implied by the comparisons above; counted for the report).
            if (c.get("plain_detokenized").asText().equals(text)) {
                assertEquals(text, t.decode(t.tokenize(text, false, false), false), where + ": round trip");
                roundTrips++;
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " differences from llama.cpp; the first:\n" + problems.get(0)
                    + (problems.size() > 1 ? "\n... and:\n" + String.join("\n", problems.subList(1, Math.min(6, problems.size()))) : ""));
        }
        assertTrue(roundTrips >= cases.size() / 2, kind + ": only " + roundTrips + " texts round-trip in llama.cpp");
    }

    private static JsonNode reference(String kind) throws Exception {
        String res = "/engine/tokens/" + kind + ".json";
        try (InputStream in = TokenizerReferenceTest.class.getResourceAsStream(res)) {
            if (in == null) {
                fail("test resource " + res + " is missing; " + REGEN);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static int[] ids(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

    /** What llama_tokenize(add_special = true) gives: BOS and EOS around the ids if the vocabulary adds them. */
    private static int[] withDefaults(JsonNode ref, int[] ids) {
        List<Integer> out = new ArrayList<>();
        if (ref.get("add_bos").asBoolean()) {
            out.add(ref.get("bos").asInt());
        }
        Arrays.stream(ids).forEach(out::add);
        if (ref.get("add_eos").asBoolean()) {
            out.add(ref.get("eos").asInt());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void compareIds(Tokenizer t, String what, int[] expected, int[] actual, List<String> problems) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        int k = 0;
        while (k < Math.min(expected.length, actual.length) && expected[k] == actual[k]) {
            k++;
        }
        problems.add(what + ": first difference at token " + k + ": llama.cpp " + describe(t, expected, k) + ", ours "
                + describe(t, actual, k) + "\n  llama.cpp " + Arrays.toString(expected) + "\n  ours      "
                + Arrays.toString(actual));
    }

    private static String describe(Tokenizer t, int[] ids, int k) {
        if (k >= ids.length) {
            return "(end)";
        }
        return ids[k] + (ids[k] >= 0 && ids[k] < t.vocabSize() ? " " + quote(t.token(ids[k])) : " (out of range)");
    }

    private static void compareText(String what, String expected, String actual, List<String> problems) {
        if (!expected.equals(actual)) {
            problems.add(what + ": llama.cpp " + quote(expected) + ", ours " + quote(actual));
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        sb.append(String.format("\\x%02x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
