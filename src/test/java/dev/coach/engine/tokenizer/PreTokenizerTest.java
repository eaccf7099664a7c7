package dev.coach.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {
    static List<String> split(String pre, String text) {
        List<String> out = PreTokenizer.forName(pre).split(text);
        assertEquals(text, String.join("", out));
        return out;
    }

    @Test
    void llama3() {
        assertEquals(List.of("I", "'m", " can", "'t", " WE", "'LL", " she", "'S"), split("llama-bpe", "I'm can't WE'LL she'S"));
        assertEquals(List.of("123", "45"), split("llama-bpe", "12345"));
        assertEquals(List.of("a", "  ", " b"), split("llama-bpe", "a   b"));
        assertEquals(List.of("hello", "\n\n", "world"), split("llama-bpe", "hello\n\nworld"));
        assertEquals(List.of("Hello", ",", " world", "!!!"), split("llama-bpe", "Hello, world!!!"));
        assertEquals(List.of("x", " =", " (", "a", "+b", ");\n"), split("llama-bpe", "x = (a+b);\n"));
        assertEquals(List.of("naïve", " café"), split("llama-bpe", "naïve café"));
        // a full-width comma is a non-letter, non-digit prefix of the following letters
        assertEquals(List.of("你好世界", "，ok"), split("llama-bpe", "你好世界，ok"));
        assertEquals(List.of("你好", "。\n"), split("llama-bpe", "你好。\n")); // punctuation takes trailing newlines
        assertEquals(List.of("hi", " 😀😀!"), split("llama-bpe", "hi 😀😀!"));
        assertEquals(List.of("x", "  \n", "y"), split("llama-bpe", "x  \ny"));
        assertEquals(List.of("a", "  "), split("llama-bpe", "a  "));
    }

    @Test
    void qwen2() {
        assertEquals(List.of("1", "2", "3", "4", "5"), split("qwen2", "12345"));
        assertEquals(List.of("a", " ", "1", "2", "b"), split("qwen2", "a 12b"));
        assertEquals(List.of("I", "'m", " can", "'t", " WE", "'LL"), split("qwen2", "I'm can't WE'LL"));
        assertEquals(List.of("hello", "\n\n", "world"), split("qwen2", "hello\n\nworld"));
        assertEquals(List.of("naïve", " 你好"), split("qwen2", "naïve 你好"));
    }

    @Test
    void gpt2() {
        assertEquals(List.of("12345"), split("gpt-2", "12345"));
        assertEquals(List.of("a", " 12", "b"), split("gpt-2", "a 12b"));
        // contractions are lower-case only
        assertEquals(List.of("I", "'m", " can", "'t", " WE", "'", "LL"), split("gpt-2", "I'm can't WE'LL"));
        assertEquals(List.of("a", "  ", " b"), split("gpt-2", "a   b"));
        assertEquals(List.of("hello", "\n", "\n", "world"), split("gpt-2", "hello\n\nworld"));
        assertEquals(List.of("x", " =", " (", "a", "+", "b", ");", "\n"), split("gpt-2", "x = (a+b);\n"));
        assertEquals(List.of("naïve", " café", " 你好", " 😀!"), split("gpt-2", "naïve café 你好 😀!"));
        assertEquals(List.of("a", "\t", "!"), split("gpt-2", "a\t!"));
    }

    @Test
    void smollm() {
        assertEquals(List.of("1", "2", "3", "4", "5"), split("smollm", "12345"));
        // digits are cut out first, so the space before them becomes its own piece
        assertEquals(List.of("a", " ", "1", "2", "b"), split("smollm", "a 12b"));
        assertEquals(List.of("hello", " world", "!"), split("smollm", "hello world!"));
        assertEquals(List.of("I", "'m", " WE", "'", "LL"), split("smollm", "I'm WE'LL"));
    }

    @Test
    void unknownName() {
        assertThrows(IllegalArgumentException.class, () -> PreTokenizer.forName("no-such-pre"));
        assertEquals("default", PreTokenizer.forName(null).name());
    }
}
