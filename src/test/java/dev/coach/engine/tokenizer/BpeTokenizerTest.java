package dev.coach.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {
    // ids 0..255 are the bytes (id = byte value), then merged tokens, then specials.
    static final List<String> MERGES = List.of(
            "h e", // 0 -> he 256
            "l l", // 1 -> ll 257
            "he ll", // 2 -> hell 258
            "hell o", // 3 -> hello 259
            "Ġ w", // 4 -> Ġw 260
            "o r", // 5 -> or 261
            "Ġw or", // 6 -> Ġwor 262
            "l d", // 7 -> ld 263
            "Ġwor ld"); // 8 -> Ġworld 264
    static final int HELLO = 259;
    static final int SP_WORLD = 264;
    static final int BOS = 265;
    static final int EOS = 266;
    static final int TOOL = 267;

    static List<String> vocab() {
        List<String> t = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            t.add(new String(Character.toChars(ByteUnicode.toCodePoint(b))));
        }
        t.addAll(List.of("he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld", "<|bos|>", "<|eos|>", "<tool>"));
        return t;
    }

    static List<Integer> types() {
        List<Integer> ty = new ArrayList<>();
        for (int i = 0; i < 265; i++) {
            ty.add(1);
        }
        ty.addAll(List.of(3, 3, 4));
        return ty;
    }

    static BpeTokenizer tok(String pre) {
        return new BpeTokenizer(vocab(), MERGES, types(), BOS, EOS, pre);
    }

    @Test
    void byteToUnicodeTable() {
        assertEquals('!', ByteUnicode.toCodePoint('!'));
        assertEquals(0x100, ByteUnicode.toCodePoint(0)); // first remapped byte
        assertEquals(0x120, ByteUnicode.toCodePoint(' ')); // 'Ġ'
        assertEquals(0x10A, ByteUnicode.toCodePoint('\n')); // 'Ċ'
        assertEquals(0x143, ByteUnicode.toCodePoint(0xAD)); // last remapped byte (soft hyphen), 256 + 67
        assertEquals(0xAE, ByteUnicode.toCodePoint(0xAE));
        for (int b = 0; b < 256; b++) {
            assertEquals(b, ByteUnicode.toByte(ByteUnicode.toCodePoint(b)));
        }
        assertEquals(-1, ByteUnicode.toByte(' '));
    }

    @Test
    void mergesByRank() {
        BpeTokenizer t = tok("gpt-2");
        assertArrayEquals(new int[] {HELLO, SP_WORLD}, t.encode("hello world", false));
        assertArrayEquals(new int[] {BOS, HELLO, SP_WORLD}, t.encode("hello world", true));
        assertArrayEquals(new int[] {HELLO, HELLO}, t.encode("hellohello", false));
        // "helo": he, then no pair of (he,l),(l,o) has a rank
        assertArrayEquals(new int[] {256, 'l', 'o'}, t.encode("helo", false));
        // "lld": ll (rank 1) beats ld (rank 7)
        assertArrayEquals(new int[] {257, 'd'}, t.encode("lld", false));
        // "old": only ld merges
        assertArrayEquals(new int[] {'o', 263}, t.encode("old", false));
        // two spaces: GPT-2 splits "hello", " ", " world"; the lone space is byte 32
        assertArrayEquals(new int[] {HELLO, ' ', SP_WORLD}, t.encode("hello  world", false));
        // " wor" stops at Ġwor; "world" without the space cannot use the Ġ merges
        assertArrayEquals(new int[] {262}, t.encode(" wor", false));
        assertArrayEquals(new int[] {'w', 261, 263}, t.encode("world", false));
        // é is bytes C3 A9
        assertArrayEquals(new int[] {0xC3, 0xA9}, t.encode("é", false));
    }

    @Test
    void decodeAndStreaming() {
        BpeTokenizer t = tok("gpt-2");
        assertEquals("hello world", t.decode(new int[] {HELLO, SP_WORLD}));
        assertEquals("é", t.decode(new int[] {0xC3, 0xA9}));
        assertEquals("\uFFFD", t.decode(new int[] {0xC3}));
        BpeTokenizer.Decoder d = t.decoder(true);
        assertEquals("", d.next(0xC3));
        assertEquals("é", d.next(0xA9));
        int[] emoji = t.encode("a😀", false);
        assertArrayEquals(new int[] {'a', 0xF0, 0x9F, 0x98, 0x80}, emoji);
        assertEquals("a", d.next(emoji[0]));
        assertEquals("", d.next(emoji[1]));
        assertEquals("", d.next(emoji[2]));
        assertEquals("", d.next(emoji[3]));
        assertEquals("😀", d.next(emoji[4]));
        assertEquals("", d.next(0xE4));
        assertEquals("\uFFFD", d.flush());
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {999}));
    }

    @Test
    void completePrefix() {
        assertEquals(0, BpeTokenizer.completePrefix(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}));
        assertEquals(4, BpeTokenizer.completePrefix(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}));
        assertEquals(1, BpeTokenizer.completePrefix(new byte[] {'a', (byte) 0xE4, (byte) 0xBD}));
        assertEquals(2, BpeTokenizer.completePrefix(new byte[] {'a', 'b'}));
    }

    @Test
    void specialTokens() {
        BpeTokenizer t = tok("gpt-2");
        assertArrayEquals(new int[] {BOS, HELLO, EOS, SP_WORLD, TOOL},
                t.encode("<|bos|>hello<|eos|> world<tool>", false));
        // without parse_special the control token is text, the user-defined one still matches
        int[] raw = t.encode("<|eos|><tool>", false, false);
        assertEquals(TOOL, raw[raw.length - 1]);
        assertEquals(8, raw.length); // "<|", "eos", "|>" -> '<','|' ... byte tokens: < | e o s | > = 7, plus <tool>
        assertEquals("<|eos|><tool>", t.decode(raw));
        assertEquals("<|bos|>hello", t.decode(new int[] {BOS, HELLO}));
        assertEquals("hello", t.decode(new int[] {BOS, HELLO}, false));
    }

    @Test
    void roundTrip() {
        for (String pre : List.of("gpt-2", "llama-bpe", "qwen2", "smollm")) {
            BpeTokenizer t = tok(pre);
            for (String s : List.of("hello world", "naïve café 你好世界 😀👍🏽 ok", "int x = 1234567; // ünïcödé\n\treturn x;",
                    "a   b\n\n\n  c \t\r\n", "   ", "", "3.14159 + 2e10 = 0x1F", "I'm HE'LL 'S we've",
                    "<|bos|>hello<|eos|> world<tool>", "\u00A0\u2003x\u3000y")) {
                assertEquals(s, t.decode(t.encode(s, false)), pre + ": " + s);
            }
        }
    }

    @Test
    void ignoreMergesForLlama3() {
        // "xyz" is in the vocabulary but no merge builds it: llama-bpe (ignore_merges) emits it whole, gpt-2 cannot
        List<String> v = vocab();
        v.add("xyz"); // id 268
        List<Integer> ty = types();
        ty.add(1);
        BpeTokenizer llama = new BpeTokenizer(v, MERGES, ty, BOS, EOS, "llama-bpe");
        BpeTokenizer gpt2 = new BpeTokenizer(v, MERGES, ty, BOS, EOS, "gpt-2");
        assertArrayEquals(new int[] {268}, llama.encode("xyz", false));
        assertArrayEquals(new int[] {'x', 'y', 'z'}, gpt2.encode("xyz", false));
    }

    @Test
    void loadsFromGguf(@TempDir Path dir) throws Exception {
        List<Object> tokens = new ArrayList<>(vocab());
        List<Object> merges = new ArrayList<>(MERGES);
        List<Object> types = new ArrayList<>(types());
        byte[] bytes = new GgufWriter()
                .string("general.architecture", "llama")
                .string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", "llama-bpe")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, tokens})
                .put("tokenizer.ggml.merges", 9, new Object[] {8, merges})
                .put("tokenizer.ggml.token_type", 9, new Object[] {5, types})
                .put("tokenizer.ggml.bos_token_id", 4, BOS)
                .put("tokenizer.ggml.eos_token_id", 4, EOS)
                .bytes();
        Path p = dir.resolve("tok.gguf");
        Files.write(p, bytes);
        BpeTokenizer t;
        try (GgufFile f = GgufReader.open(p)) {
            t = BpeTokenizer.from(f);
        }
        assertEquals(268, t.vocabSize());
        assertEquals(BOS, t.bosId());
        assertEquals(EOS, t.eosId());
        assertEquals("llama-bpe", t.preTokenizer().name());
        assertEquals(BpeTokenizer.TYPE_CONTROL, t.tokenType(BOS));
        assertEquals(BpeTokenizer.TYPE_USER_DEFINED, t.tokenType(TOOL));
        assertArrayEquals(new int[] {BOS, HELLO, SP_WORLD, EOS}, t.encode("hello world<|eos|>", true));
        assertEquals("hello world", t.decode(t.encode("hello world", false)));
        assertEquals("hello", new String(t.tokenBytes(HELLO), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsOtherModel(@TempDir Path dir) throws Exception {
        byte[] bytes = new GgufWriter().string("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, List.<Object>of("a")}).bytes();
        Path p = dir.resolve("spm.gguf");
        Files.write(p, bytes);
        try (GgufFile f = GgufReader.open(p)) {
            assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.from(f));
        }
    }
}
