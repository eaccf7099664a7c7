package dev.coach.engine.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in formats write exactly what llama.cpp writes. The expected strings in
 * {@code llamacpp-builtin-formats.json} were produced by llama.cpp's own {@code llama_chat_apply_template}
 * (regenerate with {@link LlamaCppChatFormats}); the hand-written cases below restate a few of them from
 * {@code llm_chat_apply_template}'s rules so the format is readable here too.
 */
class BuiltInTemplateTest {

    private static final List<ChatMessage> SUAU = List.of(
            ChatMessage.system("You are a strict interviewer. Ask one question at a time."),
            ChatMessage.user("I'm ready."),
            ChatMessage.assistant("Explain what a KV cache stores."),
            ChatMessage.user("It keeps the keys and values of earlier tokens."));

    static Stream<Arguments> llamaCppCases() throws Exception {
        JsonNode doc;
        try (InputStream in = BuiltInTemplateTest.class.getResourceAsStream("llamacpp-builtin-formats.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : c.get("messages")) {
                messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            }
            out.add(Arguments.of(c.get("template").asText(), c.get("conversation").asText(), c.get("add_generation_prompt").asBoolean(),
                    messages, c.get("expected").asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} / {1} / generation prompt {2}")
    @MethodSource("llamaCppCases")
    void matchesLlamaCpp(String template, String conversation, boolean addGenerationPrompt, List<ChatMessage> messages, String expected) {
        assertEquals(expected, ChatTemplate.builtIn(template).render(messages, addGenerationPrompt));
    }

    @Test
    void fixtureCoversEveryBuiltInWithAndWithoutGenerationPrompt() throws Exception {
        Set<String> seen = new HashSet<>();
        llamaCppCases().forEach(a -> {
            Object[] args = a.get();
            if (args[1].equals("system-user-assistant-user")) {
                seen.add(args[0] + "/" + args[2]);
            }
        });
        for (String name : ChatTemplate.builtInNames()) {
            assertTrue(seen.contains(name + "/true") && seen.contains(name + "/false"), "no llama.cpp reference for " + name);
        }
    }

    @Test
    void llama3ByHand() {
        String body = "<|start_header_id|>system<|end_header_id|>\n\nYou are a strict interviewer. Ask one question at a time.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nI'm ready.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nExplain what a KV cache stores.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nIt keeps the keys and values of earlier tokens.<|eot_id|>";
        ChatTemplate t = ChatTemplate.builtIn("llama3");
        assertEquals(body, t.render(SUAU, false));
        assertEquals(body + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(SUAU, true));
        assertEquals("<|start_header_id|>user<|end_header_id|>\n\nspaced<|eot_id|>", t.render(List.of(ChatMessage.user(" \t spaced \n")), false),
                "llama3 trims message text");
    }

    @Test
    void gemmaFoldsTheSystemTextIntoTheFirstUserTurn() {
        String expected = "<start_of_turn>user\nYou are a strict interviewer. Ask one question at a time.\n\nI'm ready.<end_of_turn>\n"
                + "<start_of_turn>model\nExplain what a KV cache stores.<end_of_turn>\n"
                + "<start_of_turn>user\nIt keeps the keys and values of earlier tokens.<end_of_turn>\n"
                + "<start_of_turn>model\n";
        assertEquals(expected, ChatTemplate.builtIn("gemma").render(SUAU, true));
        assertFalse(ChatTemplate.builtIn("gemma").render(SUAU, true).contains("system"), "Gemma has no system role");
    }

    @Test
    void chatmlAndPhi3KeepTextAsGiven() {
        List<ChatMessage> m = List.of(ChatMessage.user(" a \n"));
        assertEquals("<|im_start|>user\n a \n<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.builtIn("chatml").render(m, true));
        assertEquals("<|user|>\n a \n<|end|>\n<|assistant|>\n", ChatTemplate.builtIn("phi3").render(m, true));
    }

    @Test
    void mistralHasNoSeparateGenerationPrompt() {
        String expected = "[INST] You are a strict interviewer. Ask one question at a time.\n\nI'm ready.[/INST]"
                + " Explain what a KV cache stores.</s>[INST] It keeps the keys and values of earlier tokens.[/INST]";
        assertEquals(expected, ChatTemplate.builtIn("mistral").render(SUAU, true));
        assertEquals(expected, ChatTemplate.builtIn("mistral").render(SUAU, false));
    }

    @Test
    void trimIsCIsspaceOnly() {
        // llama.cpp trims with C isspace: \v and \f go, a no-break space stays
        assertEquals("x", BuiltInTemplate.trim("\u000b\f x \r\n"));
        assertEquals("\u00a0x\u00a0", BuiltInTemplate.trim("\u00a0x\u00a0"));
    }

    @Test
    void stopStringsEndAnAssistantTurn() {
        assertEquals(List.of("<|eot_id|>"), ChatTemplate.builtIn("llama3").stopStrings());
        assertEquals(List.of("<|im_end|>"), ChatTemplate.builtIn("chatml").stopStrings());
        assertEquals(List.of("<end_of_turn>"), ChatTemplate.builtIn("gemma").stopStrings());
        assertEquals(List.of("<|end|>"), ChatTemplate.builtIn("phi3").stopStrings());
        assertEquals(List.of("</s>"), ChatTemplate.builtIn("mistral").stopStrings());
        // and each one is what the format writes after an assistant message
        for (String name : ChatTemplate.builtInNames()) {
            ChatTemplate t = ChatTemplate.builtIn(name);
            String text = t.render(List.of(ChatMessage.user("q"), ChatMessage.assistant("ANSWER")), false);
            assertTrue(text.contains("ANSWER" + t.stopStrings().getFirst()), name + ": " + text);
        }
    }

    @Test
    void builtInsAreNamedAndUnknownNamesAreRefused() {
        assertEquals(List.of("llama3", "chatml", "gemma", "phi3", "mistral"), ChatTemplate.builtInNames());
        ChatTemplate t = ChatTemplate.builtIn("chatml");
        assertEquals("chatml", t.name());
        assertTrue(t.isBuiltIn());
        assertNull(t.source());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.builtIn("vicuna"));
        assertTrue(e.getMessage().contains("'vicuna'") && e.getMessage().contains("llama3, chatml, gemma, phi3, mistral"), e.getMessage());
    }
}
