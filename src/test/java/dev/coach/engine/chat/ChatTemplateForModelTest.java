package dev.coach.engine.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChatTemplate#forModel} picks the file's template, else a built-in format, and says which and why. */
class ChatTemplateForModelTest {

    private static Map<String, Object> metadata(String arch, String template, String... specialTokens) {
        List<String> tokens = new ArrayList<>(List.of("<s>", "</s>", "a", "b"));
        tokens.addAll(List.of(specialTokens));
        Map<String, Object> md = new HashMap<>();
        if (arch != null) {
            md.put("general.architecture", arch);
        }
        if (template != null) {
            md.put("tokenizer.chat_template", template);
        }
        md.put("tokenizer.ggml.tokens", tokens);
        md.put("tokenizer.ggml.bos_token_id", 0L);
        md.put("tokenizer.ggml.eos_token_id", 1);
        return md;
    }

    @Test
    void theFilesOwnTemplateWins() {
        ChatTemplate t = ChatTemplate.forModel(metadata("llama", "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{{ eos_token }}",
                "<|start_header_id|>"));
        assertEquals("tokenizer.chat_template", t.name());
        assertFalse(t.isBuiltIn());
        assertTrue(t.note().contains("own chat template"), t.note());
        assertEquals("<s><user>hi</s>", t.render(List.of(ChatMessage.user("hi")), true), "bos_token and eos_token come from the vocabulary");
        assertEquals("<user>hi</s>", t.withoutLeadingBos(t.render(List.of(ChatMessage.user("hi")), true)));
        assertEquals(List.of("</s>"), t.stopStrings());
    }

    @Test
    void theNamedToolUseTemplateIsTheFallback() {
        Map<String, Object> md = metadata("llama", null, "<|start_header_id|>");
        md.put("tokenizer.chat_template.tool_use", "{% for m in messages %}[{{ m.content }}]{% endfor %}");
        ChatTemplate t = ChatTemplate.forModel(md);
        assertEquals("tokenizer.chat_template.tool_use", t.name());
        assertEquals("[hi]", t.render(List.of(ChatMessage.user("hi")), true));
    }

    @Test
    void aFileTemplateGetsTheStopStringsOfTheFormatItUses() {
        ChatTemplate t = ChatTemplate.forModel(metadata("qwen2", "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"));
        assertEquals(List.of("<|im_end|>", "</s>"), t.stopStrings());
    }

    @Test
    void aBrokenFileTemplateIsAnError() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.forModel(metadata("llama", "{% if %}")));
        assertTrue(e.getMessage().contains("'tokenizer.chat_template'"), e.getMessage());
    }

    @Test
    void builtInChosenFromTheVocabulary() {
        assertChoice(metadata("llama", null, "<|start_header_id|>", "<|eot_id|>"), "llama3", "<|start_header_id|>");
        assertChoice(metadata("llama", null, "<|im_start|>", "<|im_end|>"), "chatml", "<|im_start|>");
        assertChoice(metadata("gemma3", null, "<start_of_turn>", "<end_of_turn>"), "gemma", "<start_of_turn>");
        assertChoice(metadata("llama", null, "<|user|>", "<|assistant|>", "<|end|>"), "phi3", "<|user|> and <|end|>");
        assertChoice(metadata("llama", null, "[INST]", "[/INST]"), "mistral", "[INST]");
        assertChoice(metadata("llama", "   ", "[INST]"), "mistral", "[INST]");
    }

    @Test
    void builtInChosenFromTheArchitecture() {
        assertChoice(metadata("qwen3", null), "chatml", "architecture is qwen3");
        assertChoice(metadata("gemma2", null), "gemma", "architecture is gemma2");
        assertChoice(metadata("phi3", null), "phi3", "architecture is phi3");
        assertChoice(metadata("mistral", null), "mistral", "architecture is mistral");
    }

    @Test
    void nothingKnownFallsBackToChatmlWithANote() {
        ChatTemplate t = ChatTemplate.forModel(metadata("llama", null));
        assertEquals("chatml", t.name());
        assertTrue(t.isBuiltIn());
        assertTrue(t.note().contains("fallback") && t.note().contains("llama.cpp also falls back to chatml"), t.note());
        assertEquals("chatml", ChatTemplate.forModel(Map.of()).name());
    }

    private static void assertChoice(Map<String, Object> md, String name, String reason) {
        ChatTemplate t = ChatTemplate.forModel(md);
        assertEquals(name, t.name(), t.note());
        assertTrue(t.isBuiltIn());
        assertTrue(t.note().contains("no tokenizer.chat_template") && t.note().contains(reason), t.note());
        assertEquals("<s>", t.bosToken());
        assertEquals(ChatTemplate.builtIn(name).render(List.of(ChatMessage.user("q")), true), t.render(List.of(ChatMessage.user("q")), true));
    }

    @Test
    void worksOnMetadataReadFromAGgufFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.gguf");
        GgufWriter w = new GgufWriter()
                .string("general.architecture", "qwen2")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "x")})
                .put("tokenizer.ggml.eos_token_id", 4, 2)
                .string("tokenizer.chat_template", "{%- for m in messages %}\n<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{%- endfor %}\n"
                        + "{%- if add_generation_prompt %}\n<|im_start|>assistant\n{%- endif %}\n");
        java.nio.file.Files.write(file, w.bytes());
        try (GgufFile f = GgufReader.open(file)) {
            ChatTemplate t = ChatTemplate.forModel(f.metadata());
            assertEquals("<|im_end|>", t.eosToken());
            assertEquals("", t.bosToken());
            assertEquals("<|im_start|>user\nhi<|im_end|><|im_start|>assistant", t.render(List.of(ChatMessage.user("hi")), true));
        }
    }
}
