package dev.coach.engine.chat;

import java.util.List;

/**
 * Chat formats for model files that carry no {@code tokenizer.chat_template}. Each one writes exactly the text
 * llama.cpp's built-in formats ({@code llm_chat_apply_template}) write for the same messages: no BOS text (the
 * tokenizer adds BOS), and message text trimmed where llama.cpp trims it (C {@code isspace}, ASCII only).
 */
enum BuiltInTemplate {
    /** Llama 3 / 3.1 / 3.2 / 3.3 headers; content trimmed. */
    LLAMA3("llama3", List.of("<|eot_id|>")) {
        @Override
        String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder b = new StringBuilder();
            for (ChatMessage m : messages) {
                b.append("<|start_header_id|>").append(m.role()).append("<|end_header_id|>\n\n").append(trim(m.content())).append("<|eot_id|>");
            }
            if (addGenerationPrompt) {
                b.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            return b.toString();
        }
    },
    /** ChatML (Qwen 2 / 2.5 / 3 and many others); content as given. */
    CHATML("chatml", List.of("<|im_end|>")) {
        @Override
        String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder b = new StringBuilder();
            for (ChatMessage m : messages) {
                b.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
            }
            if (addGenerationPrompt) {
                b.append("<|im_start|>assistant\n");
            }
            return b.toString();
        }
    },
    /**
     * Gemma 2 / 3 turns. Gemma has no system role: system text (trimmed) is put at the start of the next user turn,
     * followed by a blank line; the assistant role is called {@code model}; content is trimmed.
     */
    GEMMA("gemma", List.of("<end_of_turn>")) {
        @Override
        String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder b = new StringBuilder();
            StringBuilder system = new StringBuilder();
            for (ChatMessage m : messages) {
                if (m.role().equals("system")) {
                    system.append(trim(m.content()));
                    continue;
                }
                String role = m.role().equals("assistant") ? "model" : m.role();
                b.append("<start_of_turn>").append(role).append('\n');
                if (!system.isEmpty() && !role.equals("model")) {
                    b.append(system).append("\n\n");
                    system.setLength(0);
                }
                b.append(trim(m.content())).append("<end_of_turn>\n");
            }
            if (addGenerationPrompt) {
                b.append("<start_of_turn>model\n");
            }
            return b.toString();
        }
    },
    /** Phi-3 / Phi-3.5 role tags; content as given. */
    PHI3("phi3", List.of("<|end|>")) {
        @Override
        String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder b = new StringBuilder();
            for (ChatMessage m : messages) {
                b.append("<|").append(m.role()).append("|>\n").append(m.content()).append("<|end|>\n");
            }
            if (addGenerationPrompt) {
                b.append("<|assistant|>\n");
            }
            return b.toString();
        }
    },
    /**
     * Mistral's {@code [INST]} form, as llama.cpp's {@code mistral-v3} (Mistral 7B Instruct v0.3 and later files
     * whose vocabulary has {@code [INST]} as a token): a system message goes inside the next {@code [INST]} followed
     * by a blank line, assistant text is trimmed and ends with {@code </s>}. The format has no separate generation
     * prompt: the text after {@code [/INST]} is already the assistant's turn.
     */
    MISTRAL("mistral", List.of("</s>")) {
        @Override
        String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder b = new StringBuilder();
            boolean insideTurn = false;
            for (ChatMessage m : messages) {
                if (!insideTurn) {
                    b.append("[INST] ");
                    insideTurn = true;
                }
                switch (m.role()) {
                    case "system" -> b.append(m.content()).append("\n\n");
                    case "user" -> b.append(m.content()).append("[/INST]");
                    default -> {
                        b.append(' ').append(trim(m.content())).append("</s>");
                        insideTurn = false;
                    }
                }
            }
            return b.toString();
        }
    };

    private final String id;
    private final List<String> stops;

    BuiltInTemplate(String id, List<String> stops) {
        this.id = id;
        this.stops = stops;
    }

    String id() {
        return id;
    }

    List<String> stops() {
        return stops;
    }

    abstract String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    static BuiltInTemplate byId(String id) {
        for (BuiltInTemplate t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }

    /** Trims the characters C's {@code isspace} accepts (space, \t, \n, \v, \f, \r), as llama.cpp's {@code trim} does. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && cSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && cSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean cSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
