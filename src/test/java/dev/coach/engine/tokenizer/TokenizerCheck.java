package dev.coach.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A by-hand check of our tokenizer against llama.cpp on any GGUF (for real vocabularies that cannot be committed):
 * <pre>
 *   scripts/engine-reference/java-main.sh dev.coach.engine.tokenizer.VocabFixtures /tmp/tok    # writes corpus.json
 *   node scripts/engine-reference/tokens.mjs MODEL.gguf /tmp/tok/corpus.json /tmp/tok/model.json
 *   scripts/engine-reference/java-main.sh dev.coach.engine.tokenizer.TokenizerCheck MODEL.gguf /tmp/tok/model.json
 * </pre>
 * Prints every difference and a summary; exits 1 if there is any.
 */
public final class TokenizerCheck {
    private TokenizerCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TokenizerCheck MODEL.gguf REFERENCE.json");
            System.exit(2);
        }
        JsonNode ref = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        int bad = 0;
        int checks = 0;
        try (GgufFile f = GgufReader.open(Path.of(args[0]))) {
            long t0 = System.nanoTime();
            Tokenizer t = Tokenizer.from(f);
            System.out.printf("%s: %s, %d tokens, loaded in %.0f ms%n", args[0], t.getClass().getSimpleName(), t.vocabSize(),
                    (System.nanoTime() - t0) / 1e6);
            bad += check("bos", ref.get("bos").asInt(), t.bosId());
            bad += check("eos", ref.get("eos").asInt(), t.eosId());
            bad += check("add_bos", ref.get("add_bos").asBoolean(), t.addsBos());
            bad += check("add_eos", ref.get("add_eos").asBoolean(), t.addsEos());
            for (int id = 0; id < t.vocabSize(); id++) {
                JsonNode a = ref.get("attributes").get(Integer.toString(id));
                bad += check("attributes of " + id + " " + t.token(id), a == null ? Tokenizer.ATTR_NORMAL : a.asInt(),
                        t.tokenAttributes(id));
            }
            int[] eog = new int[ref.get("eog").size()];
            for (int i = 0; i < eog.length; i++) {
                eog[i] = ref.get("eog").get(i).asInt();
            }
            int[] ours = java.util.stream.IntStream.range(0, t.vocabSize()).filter(t::isEndOfGeneration).toArray();
            bad += check("eog", Arrays.toString(eog), Arrays.toString(ours));
            long tokenizeNanos = 0;
            for (JsonNode c : ref.get("cases")) {
                String text = c.get("text").asText();
                String at = "line " + c.get("line").asInt() + ": ";
                long s = System.nanoTime();
                int[] plain = t.tokenize(text, false, false);
                int[] special = t.tokenize(text, false, true);
                tokenizeNanos += System.nanoTime() - s;
                bad += check(at + "plain", c.get("plain").toString(), Arrays.toString(plain).replace(" ", ""));
                bad += check(at + "special", c.get("special").toString(), Arrays.toString(special).replace(" ", ""));
                bad += check(at + "plain detokenized", c.get("plain_detokenized").asText(), t.detokenize(plain, false, false));
                bad += check(at + "special rendered", c.get("special_detokenized_rendered").asText(),
                        t.detokenize(special, false, true));
                bad += check(at + "special hidden", c.get("special_detokenized_hidden").asText(),
                        t.detokenize(special, false, false));
                checks += 5;
            }
            System.out.printf("%d texts, %d comparisons, %d differences; tokenizing took %.1f ms%n",
                    ref.get("cases").size(), checks, bad, tokenizeNanos / 1e6);
        }
        System.exit(bad == 0 ? 0 : 1);
    }

    private static int check(String what, Object expected, Object actual) {
        if (expected.equals(actual)) {
            return 0;
        }
        System.out.println("DIFF " + what + "\n  llama.cpp " + expected + "\n  ours      " + actual);
        return 1;
    }
}
