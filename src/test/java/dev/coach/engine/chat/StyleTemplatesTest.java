package dev.coach.engine.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Templates written for these tests in the style of the Llama 3.1, Qwen2.5, Gemma, Mistral and Phi-3 chat templates
 * (under {@code src/test/resources/dev/coach/engine/chat/templates}), using the constructs those use. The expected
 * strings were rendered by Python Jinja2 3.1.6 in Hugging Face's environment, with the same messages,
 * {@code bos_token="<BOS>"}, {@code eos_token="<EOS>"} and {@code strftime_now} fixed at 7 March 2025 ({@code hf_render.py}
 * next to the templates does that rendering).
 */
class StyleTemplatesTest {

    static final List<ChatMessage> SUAU = List.of(
            ChatMessage.system("You are a strict interviewer."),
            ChatMessage.user("I'm ready."),
            ChatMessage.assistant(" Explain what a KV cache stores. "),
            ChatMessage.user("It keeps keys and values.\n"));

    static final List<ChatMessage> USER_USER = List.of(ChatMessage.user("one"), ChatMessage.user("two"));

    static final Clock CLOCK = JinjaCompatibilityTest.CLOCK;

    static ChatTemplate load(String name) throws IOException {
        try (InputStream in = StyleTemplatesTest.class.getResourceAsStream("templates/" + name + ".jinja")) {
            return ChatTemplate.jinja(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), "<BOS>", "<EOS>").withClock(CLOCK);
        }
    }

    @Test
    void llama31Style() throws IOException {
        ChatTemplate t = load("llama31-style");
        String body = "<BOS><|start_header_id|>system<|end_header_id|>\n\nKnowledge cutoff: December 2023\nToday: 07 Mar 2025\n\n"
                + "You are a strict interviewer.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nI'm ready.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nExplain what a KV cache stores.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nIt keeps keys and values.<|eot_id|>";
        assertEquals(body + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(SUAU, true));
        assertEquals(body, t.render(SUAU, false));
        assertEquals("<BOS><|start_header_id|>system<|end_header_id|>\n\nKnowledge cutoff: December 2023\nToday: 07 Mar 2025\n\n<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\none<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                t.render(USER_USER.subList(0, 1), true));
        Map<String, Object> tools = Map.of("tools", List.of(Map.of("name", "grade")));
        assertTrue(t.render(SUAU, true, tools).contains("<|end_header_id|>\n\nEnvironment: ipython\nKnowledge cutoff"));

        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(USER_USER, true));
        assertEquals("Two user turns in a row (message 2)", e.raisedMessage());
        ChatTemplateException role = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(new ChatMessage("critic", "x")), true));
        assertEquals("Unsupported role: critic", role.raisedMessage());
    }

    @Test
    void qwen25Style() throws IOException {
        ChatTemplate t = load("qwen25-style");
        String body = "<|im_start|>system\nYou are a strict interviewer.<|im_end|>\n<|im_start|>user\nI'm ready.<|im_end|>\n"
                + "<|im_start|>assistant\n Explain what a KV cache stores. <|im_end|>\n<|im_start|>user\nIt keeps keys and values.\n<|im_end|>\n";
        assertEquals(body + "<|im_start|>assistant\n", t.render(SUAU, true));
        assertEquals(body, t.render(SUAU, false));
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\none<|im_end|>\n<|im_start|>assistant\n",
                t.render(USER_USER.subList(0, 1), true), "messages[0].role is not system: the default system prompt");

        Map<String, Object> tool = new java.util.LinkedHashMap<>();
        tool.put("type", "function");
        Map<String, Object> fn = new java.util.LinkedHashMap<>();
        fn.put("name", "grade");
        fn.put("description", "Grade an answer <0-10>");
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("type", "object");
        params.put("properties", Map.of("score", Map.of("type", "integer")));
        params.put("required", List.of("score"));
        fn.put("parameters", params);
        tool.put("function", fn);
        assertEquals("<|im_start|>system\nYou are a strict interviewer.\n\n# Tools\n\nFunction signatures, one per line:\n<tools>\n"
                        + "{\"type\": \"function\", \"function\": {\"name\": \"grade\", \"description\": \"Grade an answer <0-10>\", \"parameters\": "
                        + "{\"type\": \"object\", \"properties\": {\"score\": {\"type\": \"integer\"}}, \"required\": [\"score\"]}}}\n</tools><|im_end|>\n"
                        + "<|im_start|>user\nI'm ready.<|im_end|>\n<|im_start|>assistant\n Explain what a KV cache stores. <|im_end|>\n"
                        + "<|im_start|>user\nIt keeps keys and values.\n<|im_end|>\n<|im_start|>assistant\n",
                t.render(SUAU, true, Map.of("tools", List.of(tool))));
    }

    @Test
    void gemmaStyle() throws IOException {
        ChatTemplate t = load("gemma-style");
        String body = "<BOS><start_of_turn>user\nYou are a strict interviewer.\n\nI'm ready.<end_of_turn>\n"
                + "<start_of_turn>model\nExplain what a KV cache stores.<end_of_turn>\n<start_of_turn>user\nIt keeps keys and values.<end_of_turn>\n";
        assertEquals(body + "<start_of_turn>model\n", t.render(SUAU, true));
        assertEquals(body, t.render(SUAU, false));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(USER_USER, true));
        assertEquals("Conversation roles must alternate user/assistant/user/assistant/...", e.raisedMessage());
        assertTrue(e.getMessage().startsWith("chat template 'gemma-style' rejected the conversation: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Conversation roles must alternate user/assistant/user/assistant/..."), e.getMessage());
    }

    @Test
    void mistralStyle() throws IOException {
        ChatTemplate t = load("mistral-style");
        String expected = "<BOS>[INST] I'm ready.[/INST] Explain what a KV cache stores.<EOS>"
                + "[INST] You are a strict interviewer.\n\nIt keeps keys and values.\n[/INST]";
        assertEquals(expected, t.render(SUAU, true));
        assertEquals(expected, t.render(SUAU, false));
        assertEquals("<BOS>[INST] one[/INST]", t.render(USER_USER.subList(0, 1), true));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(USER_USER, true));
        assertEquals("After the optional system message, roles must alternate user/assistant/user/...", e.raisedMessage());
    }

    @Test
    void phi3Style() throws IOException {
        ChatTemplate t = load("phi3-style");
        String body = "<|system|>\nYou are a strict interviewer.<|end|>\n<|user|>\nI'm ready.<|end|>\n"
                + "<|assistant|>\n Explain what a KV cache stores. <|end|>\n<|user|>\nIt keeps keys and values.\n<|end|>\n";
        assertEquals(body + "<|assistant|>\n", t.render(SUAU, true));
        assertEquals(body + "<EOS>", t.render(SUAU, false));
    }

    @Test
    void jinjaTemplatesAgreeWithTheMatchingBuiltInFormats() throws IOException {
        // two independent paths to the same text: the Jinja engine and llama.cpp's format
        assertEquals(ChatTemplate.builtIn("chatml").render(SUAU, true), load("qwen25-style").render(SUAU, true));
        assertEquals(ChatTemplate.builtIn("phi3").render(SUAU, true), load("phi3-style").render(SUAU, true));
        List<ChatMessage> clean = List.of(ChatMessage.system("Sys."), ChatMessage.user("Q1"), ChatMessage.assistant("A1"), ChatMessage.user("Q2"));
        assertEquals("<BOS>" + ChatTemplate.builtIn("gemma").render(clean, true), load("gemma-style").render(clean, true));
    }

    @Test
    void jinjaTemplateAccessors() throws IOException {
        ChatTemplate t = load("llama31-style");
        assertEquals("llama31-style", t.name());
        assertEquals("<BOS>", t.bosToken());
        assertEquals("<EOS>", t.eosToken());
        assertTrue(t.source().contains("raise_exception"));
        assertTrue(!t.isBuiltIn());
        assertEquals(List.of("<|eot_id|>", "<EOS>"), t.stopStrings());
        assertNull(assertThrows(ChatTemplateException.class, () -> ChatTemplate.jinja("x", "{{ 1 +", "", "")).raisedMessage());
    }
}
