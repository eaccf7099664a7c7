package dev.coach.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built SentencePiece vocabularies with expected ids worked out by hand from llama.cpp's algorithm. */
class SentencePieceTokenizerTest {
    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;

    /** Byte token id for byte b: the 256 byte tokens follow unk, bos, eos. */
    static int b(int b) {
        return 3 + b;
    }

    /** Pieces after the byte tokens, with scores. */
    static final String[] PIECES = {"▁", "a", "b", "c", "▁a", "ab", "bc", "▁ab", "abc", "aa", "<tool>", "<|x|>"};
    static final float[] SCORES = {-5, -6, -6, -6, -3, -2, -1, -4, -0.5f, -2.5f, 0, 0};
    static final int[] TYPES = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 3};

    static int id(String piece) {
        return 259 + List.of(PIECES).indexOf(piece);
    }

    static SentencePieceTokenizer tok(Map<String, Object> meta) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        for (int x = 0; x < 256; x++) {
            tokens.add(String.format("<0x%02X>", x));
            scores.add(0f);
            types.add(6);
        }
        for (int i = 0; i < PIECES.length; i++) {
            tokens.add(PIECES[i]);
            scores.add(SCORES[i]);
            types.add(TYPES[i]);
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new SentencePieceTokenizer(tokens, s, types.stream().mapToInt(Integer::intValue).toArray(), meta);
    }

    static SentencePieceTokenizer tok() {
        return tok(Map.of());
    }

    static Map<String, Object> noPrefix() {
        return Map.of("tokenizer.ggml.add_space_prefix", false);
    }

    @Test
    void mergesByScoreNotByOrder() {
        // "▁abc": pairs ▁a -3, ab -2, bc -1. bc wins; then a+bc = abc (-0.5) wins; ▁+abc is no piece.
        assertArrayEquals(new int[] {id("▁"), id("abc")}, tok().tokenize("abc", false, false));
        // "▁ab": ▁a -3 and ab -2: ab first; then ▁+ab = ▁ab.
        assertArrayEquals(new int[] {id("▁ab")}, tok().tokenize("ab", false, false));
        // BOS by default for SentencePiece; not when the caller adds nothing
        assertArrayEquals(new int[] {BOS, id("▁ab")}, tok().encode("ab"));
        assertArrayEquals(new int[] {BOS, id("▁ab")}, tok().encode("ab", true, false));
        assertArrayEquals(new int[] {id("▁ab")}, tok().encode("ab", false, false));
    }

    @Test
    void equalScoresMergeTheLeftmostPair() {
        // no space prefix: "aaa" has aa at 0-1 and at 1-2, both -2.5; the left one wins
        assertArrayEquals(new int[] {id("aa"), id("a")}, tok(noPrefix()).tokenize("aaa", false, false));
        assertArrayEquals(new int[] {id("aa"), id("aa")}, tok(noPrefix()).tokenize("aaaa", false, false));
    }

    @Test
    void spacesAreEscapedAndPrefixed() {
        // " ab": prefix gives "▁▁ab" -> ▁ ▁ab (▁▁ is no piece)
        assertArrayEquals(new int[] {id("▁"), id("▁ab")}, tok().tokenize(" ab", false, false));
        assertArrayEquals(new int[] {id("▁a"), id("▁ab")}, tok().tokenize("a ab", false, false));
        assertArrayEquals(new int[] {id("a"), id("▁ab")}, tok(noPrefix()).tokenize("a ab", false, false));
        // a tab is not a space: no piece, so it is the byte 0x09
        assertArrayEquals(new int[] {id("▁a"), b(0x09), id("a")}, tok().tokenize("a\ta", false, false));
        assertArrayEquals(new int[0], tok().tokenize("", false, false));
    }

    @Test
    void byteFallbackAndDecoding() {
        SentencePieceTokenizer t = tok(noPrefix());
        // é is C3 A9, 😀 is F0 9F 98 80; neither has a piece
        int[] ids = t.tokenize("aé😀", false, false);
        assertArrayEquals(new int[] {id("a"), b(0xC3), b(0xA9), b(0xF0), b(0x9F), b(0x98), b(0x80)}, ids);
        assertEquals("aé😀", t.decode(ids));
        StreamDecoder d = t.decoder(false);
        assertEquals("a", d.next(ids[0]));
        assertEquals("", d.next(ids[1]));
        assertTrue(d.hasPending());
        assertEquals("é", d.next(ids[2]));
        assertEquals("", d.next(ids[3]));
        assertEquals("", d.next(ids[4]));
        assertEquals("", d.next(ids[5]));
        assertEquals("😀", d.next(ids[6]));
        assertFalse(d.hasPending());
        assertEquals("", d.next(b(0xE4)));
        assertEquals("\uFFFD", d.flush());
        assertArrayEquals(new byte[] {(byte) 0xC3}, t.tokenBytes(b(0xC3)));
    }

    @Test
    void decodingDropsTheLeadingSpaceLikeLlamaCpp() {
        SentencePieceTokenizer t = tok();
        assertEquals("ab", t.decode(new int[] {id("▁ab")}));
        assertEquals("a ab", t.decode(t.tokenize("a ab", false, false)));
        // a first BOS takes the space removal: the piece after it keeps its space
        assertEquals(" ab", t.decode(new int[] {BOS, id("▁ab")}, false));
        assertEquals("<s> ab", t.decode(new int[] {BOS, id("▁ab")}, true));
        // removeSpecial drops a leading BOS (the file adds one) and then keeps the space too
        assertEquals(" ab", t.detokenize(new int[] {BOS, id("▁ab")}, true, true));
        // EOS is only removed when the file adds EOS
        assertEquals(" ab</s>", t.detokenize(new int[] {BOS, id("▁ab"), EOS}, true, true));
        Map<String, Object> eos = Map.of("tokenizer.ggml.add_eos_token", true);
        assertEquals(" ab", tok(eos).detokenize(new int[] {BOS, id("▁ab"), EOS}, true, true));
        // without the space prefix nothing is dropped
        assertEquals(" ab", tok(noPrefix()).decode(new int[] {id("▁ab")}));
        // the unknown token is hidden unless special tokens are rendered
        assertEquals("<unk>", t.decode(new int[] {UNK}, true));
        assertEquals("", t.decode(new int[] {UNK}, false));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {9999}));
    }

    @Test
    void specialTokensAndSpacePrefixAfterThem() {
        SentencePieceTokenizer t = tok();
        int tool = id("<tool>");
        int x = id("<|x|>");
        // user-defined tokens split out even without parseSpecial; text after them gets a new space prefix
        assertArrayEquals(new int[] {id("▁a"), tool, id("▁ab")}, t.tokenize("a<tool>ab", false, false));
        // control tokens only with parseSpecial; without it, "<|x|>" is bytes
        assertArrayEquals(new int[] {id("▁a"), x, id("▁ab")}, t.tokenize("a<|x|>ab", false, true));
        assertArrayEquals(new int[] {id("▁a"), b('<'), b('|'), b('x'), b('|'), b('>'), id("ab")},
                t.tokenize("a<|x|>ab", false, false));
        // a text that is just a special token: no space added anywhere
        assertArrayEquals(new int[] {x}, t.tokenize("<|x|>", false, true));
        assertArrayEquals(new int[] {BOS, BOS, id("▁ab")}, t.encode("<s>ab"));
        assertEquals("a<tool> ab", t.decode(t.tokenize("a<tool>ab", false, false), false));
    }

    @Test
    void missingByteTokenIsAClearError() {
        SentencePieceTokenizer t = new SentencePieceTokenizer(List.of("<unk>", "<s>", "</s>", "▁", "a"), null, null, Map.of());
        assertArrayEquals(new int[] {3, 4}, t.tokenize("a", false, false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.tokenize("é", false, false));
        assertTrue(e.getMessage().contains("<0xC3>"), e.getMessage());
        // a character that is itself a token needs no byte token
        SentencePieceTokenizer plain = new SentencePieceTokenizer(List.of("<unk>", "<s>", "</s>", "▁", "a", "\t"), null, null,
                Map.of());
        assertArrayEquals(new int[] {3, 5}, plain.tokenize("\t", false, false));
    }

    @Test
    void loadsFromGgufWithItsFlags(@TempDir Path dir) throws Exception {
        List<Object> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>", "▁", "a", "▁a"));
        List<Object> scores = new ArrayList<>(List.of(0f, 0f, 0f, -1f, -2f, -0.5f));
        List<Object> types = new ArrayList<>(List.of(2, 3, 3, 1, 1, 1));
        byte[] bytes = new GgufWriter()
                .string("general.architecture", "llama")
                .string("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, tokens})
                .put("tokenizer.ggml.scores", 9, new Object[] {6, scores})
                .put("tokenizer.ggml.token_type", 9, new Object[] {5, types})
                .put("tokenizer.ggml.add_bos_token", 7, false)
                .put("tokenizer.ggml.add_eos_token", 7, true)
                .bytes();
        Path p = dir.resolve("spm.gguf");
        Files.write(p, bytes);
        Tokenizer t;
        try (GgufFile f = GgufReader.open(p)) {
            t = Tokenizer.from(f);
        }
        assertTrue(t instanceof SentencePieceTokenizer);
        // no id keys: llama.cpp's SentencePiece defaults bos 1, eos 2, unk 0
        assertEquals(1, t.bosId());
        assertEquals(2, t.eosId());
        assertEquals(0, ((SentencePieceTokenizer) t).unknownId());
        assertEquals(-0.5f, ((SentencePieceTokenizer) t).score(5));
        assertFalse(t.addsBos());
        assertTrue(t.addsEos());
        assertArrayEquals(new int[] {5, 2}, t.encode("a"));
        assertArrayEquals(new int[] {1, 5}, t.encode("a", true, true));
        assertEquals(Tokenizer.TYPE_UNKNOWN, t.tokenType(0));
        assertEquals(Tokenizer.ATTR_UNKNOWN, t.tokenAttributes(0));
        assertTrue(t.isEndOfGeneration(2)); // EOS, and "</s>" by its text
        assertFalse(t.isEndOfGeneration(1));
    }

    @Test
    void unsupportedOrMissingTokenizerModel(@TempDir Path dir) throws Exception {
        Path bert = dir.resolve("bert.gguf");
        Files.write(bert, new GgufWriter().string("tokenizer.ggml.model", "bert")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, List.<Object>of("a")}).bytes());
        try (GgufFile f = GgufReader.open(bert)) {
            GgufException e = assertThrows(GgufException.class, () -> Tokenizer.from(f));
            assertTrue(e.getMessage().contains("'bert'") && e.getMessage().contains("'gpt2'")
                    && e.getMessage().contains("'llama'") && e.getMessage().contains("bert.gguf"), e.getMessage());
        }
        Path none = dir.resolve("none.gguf");
        Files.write(none, new GgufWriter().string("general.architecture", "llama").bytes());
        try (GgufFile f = GgufReader.open(none)) {
            GgufException e = assertThrows(GgufException.class, () -> Tokenizer.from(f));
            assertTrue(e.getMessage().contains("tokenizer.ggml.model is missing"), e.getMessage());
        }
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, new GgufWriter().string("tokenizer.ggml.model", "llama").bytes());
        try (GgufFile f = GgufReader.open(empty)) {
            GgufException e = assertThrows(GgufException.class, () -> Tokenizer.from(f));
            assertTrue(e.getMessage().contains("tokenizer.ggml.tokens is missing"), e.getMessage());
        }
        Path pre = dir.resolve("pre.gguf");
        Files.write(pre, new GgufWriter().string("tokenizer.ggml.model", "gpt2").string("tokenizer.ggml.pre", "no-such-pre")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, List.<Object>of("a")})
                .put("tokenizer.ggml.merges", 9, new Object[] {8, List.<Object>of()}).bytes());
        try (GgufFile f = GgufReader.open(pre)) {
            GgufException e = assertThrows(GgufException.class, () -> Tokenizer.from(f));
            assertTrue(e.getMessage().contains("'no-such-pre'") && e.getMessage().contains("llama-bpe"), e.getMessage());
        }
    }

    @Test
    void specialTokensSplitLongestFirstNotLeftmost() {
        // user-defined "abc" and "bcde": llama.cpp splits by the longer one first, so "abcde" is a + bcde
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>", "a", "abc", "bcde", "d", "e", "▁"));
        int[] types = {2, 3, 3, 1, 4, 4, 1, 1, 1};
        SentencePieceTokenizer t = new SentencePieceTokenizer(tokens, null, types, noPrefix());
        assertArrayEquals(new int[] {3, 5}, t.tokenize("abcde", false, false));
        assertArrayEquals(new int[] {4, 6}, t.tokenize("abcd", false, false));
    }

    @Test
    void phi3StripsSpacesAfterSpecialTokens() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>", "<|user|>", "<|endoftext|>", "▁", "h", "i",
                "hi", "▁hi"));
        int[] types = {2, 3, 3, 3, 3, 1, 1, 1, 1, 1};
        float[] scores = {0, 0, 0, 0, 0, -3, -3, -3, -2, -1};
        Map<String, Object> meta = new HashMap<>();
        SentencePieceTokenizer plain = new SentencePieceTokenizer(tokens, scores, types, meta);
        // "▁" + "  hi" escaped: ▁ ▁ ▁ h i -> hi -> ▁hi
        assertArrayEquals(new int[] {3, 5, 5, 9}, plain.tokenize("<|user|>  hi", false, true));
        meta.put("general.name", "Phi-3 Mini 4k");
        SentencePieceTokenizer phi = new SentencePieceTokenizer(tokens, scores, types, meta);
        assertTrue((phi.tokenAttributes(3) & Tokenizer.ATTR_RSTRIP) != 0);
        assertTrue((phi.tokenAttributes(2) & Tokenizer.ATTR_RSTRIP) != 0);
        assertEquals(0, phi.tokenAttributes(1) & Tokenizer.ATTR_RSTRIP);
        assertArrayEquals(new int[] {3, 9}, phi.tokenize("<|user|>  hi", false, true));
    }
}
