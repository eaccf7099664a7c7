package dev.coach.engine.tokenizer;

import static dev.coach.engine.tokenizer.Tokenizer.ATTR_CONTROL;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_NORMAL;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_UNUSED;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_USER_DEFINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** llama.cpp's by-name vocabulary rules (llama-vocab.cpp, load), with expectations worked out from its source. */
class VocabRulesTest {
    /** A vocabulary of the given texts and types; ids are list positions. */
    static Tokenizer vocab(List<String> texts, List<Integer> types, Map<String, Object> meta) {
        return new SentencePieceTokenizer(texts, null, types.stream().mapToInt(Integer::intValue).toArray(), meta);
    }

    static List<Integer> eog(Tokenizer t) {
        return IntStream.range(0, t.vocabSize()).filter(t::isEndOfGeneration).boxed().toList();
    }

    @Test
    void endOfGenerationByTextAndType() {
        List<String> texts = List.of("<unk>", "<s>", "</s>", "a", "<|eot_id|>", "<|im_end|>", "<|python_tag|>", "<|eom_id|>",
                "<|fim_pad|>", "<|fim_prefix|>", "<|unused_1|>", "<|channel|>", "<end_of_turn>");
        List<Integer> types = List.of(2, 3, 3, 1, 1, 3, 3, 3, 3, 1, 3, 3, 4);
        Tokenizer t = vocab(texts, types, Map.of());
        // </s> is EOS (default id 2) and an end text; then eot, im_end, eom, fim_pad (as fim pad id), end_of_turn
        assertEquals(List.of(2, 4, 5, 7, 8, 12), eog(t));
        assertEquals(ATTR_NORMAL | ATTR_CONTROL, t.tokenAttributes(4)); // normal-typed <|eot_id|> is made control
        assertEquals(ATTR_CONTROL, t.tokenAttributes(6)); // control, but not an end
        assertEquals(ATTR_NORMAL | ATTR_CONTROL, t.tokenAttributes(9)); // recognised as FIM prefix: control
        assertEquals(ATTR_CONTROL | ATTR_UNUSED, t.tokenAttributes(10)); // a control token named "unused"
        assertEquals(ATTR_USER_DEFINED, t.tokenAttributes(11)); // always rendered (gpt-oss)
        assertEquals(ATTR_USER_DEFINED | ATTR_CONTROL, t.tokenAttributes(12));
        assertEquals(Tokenizer.TYPE_USER_DEFINED, t.tokenType(12)); // the file's type is kept as is
        // made control, <end_of_turn> is hidden unless special tokens are rendered (the qwen2 reference fixture checks
        // that it is also no longer split out of text when special tokens are not parsed)
        assertEquals(12, t.tokenize("<end_of_turn>", false, true)[0]);
        assertEquals("", t.decode(new int[] {12}, false));
        assertEquals("<end_of_turn>", t.decode(new int[] {12}, true));
    }

    @Test
    void endOfGenerationFromKeys() {
        List<String> texts = List.of("<unk>", "<s>", "</x>", "a", "b", "c");
        List<Integer> types = List.of(2, 3, 3, 1, 1, 1);
        Map<String, Object> meta = new HashMap<>();
        meta.put("tokenizer.ggml.eos_token_id", 5L);
        meta.put("tokenizer.ggml.eot_token_id", 3L);
        meta.put("tokenizer.ggml.eom_token_id", 4L);
        meta.put("tokenizer.ggml.bos_token_id", 99L); // outside the vocabulary: the default (1) stays
        Tokenizer t = vocab(texts, types, meta);
        assertEquals(List.of(3, 4, 5), eog(t));
        assertEquals(ATTR_NORMAL, t.tokenAttributes(3)); // named by key, not by text: no type change
        assertEquals(5, t.eosId());
        assertEquals(1, t.bosId());
    }

    @Test
    void harmonyEndIsNotAnEnd() {
        List<String> texts = new ArrayList<>(List.of("<unk>", "<s>", "</x>", "<|return|>", "<|call|>", "<|end|>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3, 3, 3, 3));
        Tokenizer t = vocab(texts, types, Map.of());
        assertEquals(List.of(2, 3, 4), eog(t));
        assertEquals(ATTR_USER_DEFINED, t.tokenAttributes(5));
        // without <|call|>, <|end|> ends generation
        texts.set(4, "<|other|>");
        Tokenizer u = vocab(texts, types, Map.of());
        assertEquals(List.of(2, 3, 5), eog(u));
        assertEquals(ATTR_CONTROL, u.tokenAttributes(5));
    }

    @Test
    void toolResponseMakesClosingSOrdinary() {
        Tokenizer t = vocab(List.of("<unk>", "<s>", "</s>", "<|tool_response>"), List.of(2, 3, 3, 3), Map.of());
        // </s> is EOS here too, yet llama.cpp drops it from the set and makes it a normal token
        assertEquals(List.of(3), eog(t));
        assertEquals(ATTR_NORMAL, t.tokenAttributes(2));
        assertEquals("</s>", t.decode(new int[] {2}, false)); // normal now: shown even when special tokens are hidden
    }

    @Test
    void bpeDefaultSpecialIds() {
        List<String> small = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            small.add(String.valueOf((char) ('a' + b)));
        }
        BpeTokenizer t = new BpeTokenizer(small, List.of(), null, -1, -1, "gpt-2");
        assertEquals(-1, t.bosId()); // llama.cpp's BPE default (11) is outside this vocabulary
        assertEquals(List.of(), eog(t));
        List<String> big = new ArrayList<>(small);
        big.addAll(List.of("k", "l", "m"));
        BpeTokenizer u = new BpeTokenizer(big, List.of(), null, -1, -1, "gpt-2");
        assertEquals(11, u.bosId());
        assertEquals(11, u.eosId());
        assertEquals(List.of(11), eog(u));
        assertEquals(false, u.addsBos()); // gpt-2 pre-tokenizer: no BOS by default
        assertEquals(true, new BpeTokenizer(big, List.of(), null, -1, -1, "llama-bpe").addsBos());
    }

    @Test
    void duplicateTokensAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vocab(List.of("a", "b", "a"), List.of(1, 1, 1), Map.of()));
        assertEquals("tokens 0 and 2 are both 'a'; llama.cpp refuses such a vocabulary too", e.getMessage());
    }

    @Test
    void emptyTokensGetLlamaCppsPlaceholder() {
        Tokenizer t = vocab(List.of("<unk>", "<s>", "</s>", ""), List.of(2, 3, 3, 1), Map.of());
        assertEquals("[EMPTY_3]", t.token(3));
    }
}
