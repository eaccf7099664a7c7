package dev.coach.engine.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture generator, not a test: asks llama.cpp itself ({@code llama_chat_apply_template} in the prebuilt
 * {@code libllama} that node-llama-cpp 3.22.1 ships, llama.cpp release v0.5.0) to format the conversations in
 * {@link #CONVERSATIONS} with each of its built-in formats that coach mirrors, and writes the results to
 * {@code src/test/resources/dev/coach/engine/chat/llamacpp-builtin-formats.json} for {@code BuiltInTemplateTest}.
 *
 * <pre>
 *   scripts/engine-reference/setup.sh
 *   scripts/engine-reference/java-main.sh dev.coach.engine.chat.LlamaCppChatFormats
 * </pre>
 */
public final class LlamaCppChatFormats {

    /** coach's built-in name and llama.cpp's name for the same format. */
    static final Map<String, String> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("llama3", "llama3");
        FORMATS.put("chatml", "chatml");
        FORMATS.put("gemma", "gemma");
        FORMATS.put("phi3", "phi3");
        FORMATS.put("mistral", "mistral-v3");
    }

    /** Conversations chosen to show each format's handling of roles and surrounding whitespace. */
    static final Map<String, List<ChatMessage>> CONVERSATIONS = new LinkedHashMap<>();

    static {
        CONVERSATIONS.put("system-user-assistant-user", List.of(
                ChatMessage.system("You are a strict interviewer. Ask one question at a time."),
                ChatMessage.user("I'm ready."),
                ChatMessage.assistant("Explain what a KV cache stores."),
                ChatMessage.user("It keeps the keys and values of earlier tokens.")));
        CONVERSATIONS.put("whitespace", List.of(
                ChatMessage.system("  \n Be brief.\t\n"),
                ChatMessage.user("\n  What is RoPE?  \n"),
                ChatMessage.assistant("\u000b Rotary position embeddings. \r\n"),
                ChatMessage.user("\u00a0And ALiBi?\u00a0")));
        CONVERSATIONS.put("user-only", List.of(ChatMessage.user("Hello")));
        CONVERSATIONS.put("no-system", List.of(
                ChatMessage.user("Define perplexity."),
                ChatMessage.assistant("exp of the mean negative log-likelihood"),
                ChatMessage.user("Why exp?")));
        CONVERSATIONS.put("two-systems", List.of(
                ChatMessage.system("Rule one."),
                ChatMessage.system(" Rule two. "),
                ChatMessage.user("Go.")));
        CONVERSATIONS.put("system-then-assistant", List.of(
                ChatMessage.system("Context."),
                ChatMessage.assistant("First question: what is a token?"),
                ChatMessage.user("A unit of text.")));
        CONVERSATIONS.put("unicode", List.of(
                ChatMessage.system("Réponds en français."),
                ChatMessage.user("Qu'est-ce qu'un « embedding » ? 🙂")));
    }

    private LlamaCppChatFormats() {
    }

    public static void main(String[] args) throws Throwable {
        Path lib = Path.of(args.length > 0 ? args[0]
                : "scripts/engine-reference/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libllama.v0.5.0.so");
        Path out = Path.of(args.length > 1 ? args[1] : "src/test/resources/dev/coach/engine/chat/llamacpp-builtin-formats.json");
        if (!Files.exists(lib)) {
            System.err.println("llama.cpp library not found at " + lib + "; run scripts/engine-reference/setup.sh first, or pass its path");
            System.exit(2);
        }
        List<Map<String, Object>> cases = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lookup = SymbolLookup.libraryLookup(lib, arena);
            MethodHandle apply = Linker.nativeLinker().downcallHandle(
                    lookup.find("llama_chat_apply_template").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_BOOLEAN, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MemoryLayout message = MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("role"), ValueLayout.ADDRESS.withName("content"));
            for (Map.Entry<String, String> format : FORMATS.entrySet()) {
                for (Map.Entry<String, List<ChatMessage>> conv : CONVERSATIONS.entrySet()) {
                    for (boolean addAssistant : new boolean[] {true, false}) {
                        List<ChatMessage> msgs = conv.getValue();
                        MemorySegment chat = arena.allocate(message, msgs.size());
                        for (int i = 0; i < msgs.size(); i++) {
                            chat.setAtIndex(ValueLayout.ADDRESS, 2L * i, arena.allocateFrom(msgs.get(i).role()));
                            chat.setAtIndex(ValueLayout.ADDRESS, 2L * i + 1, arena.allocateFrom(msgs.get(i).content()));
                        }
                        MemorySegment name = arena.allocateFrom(format.getValue());
                        int size = 1 << 12;
                        MemorySegment buf = arena.allocate(size);
                        int n = (int) apply.invokeExact(name, chat, (long) msgs.size(), addAssistant, buf, size);
                        if (n < 0) {
                            throw new IllegalStateException("llama.cpp does not know the format " + format.getValue());
                        }
                        if (n > size) {
                            size = n;
                            buf = arena.allocate(size);
                            n = (int) apply.invokeExact(name, chat, (long) msgs.size(), addAssistant, buf, size);
                        }
                        byte[] bytes = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                        Map<String, Object> c = new LinkedHashMap<>();
                        c.put("template", format.getKey());
                        c.put("llamacpp_template", format.getValue());
                        c.put("conversation", conv.getKey());
                        c.put("add_generation_prompt", addAssistant);
                        c.put("messages", msgs.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
                        c.put("expected", new String(bytes, StandardCharsets.UTF_8));
                        cases.add(c);
                    }
                }
            }
        }
        Files.createDirectories(out.getParent());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("source", "llama_chat_apply_template from llama.cpp v0.5.0 (libllama.v0.5.0.so of @node-llama-cpp/linux-x64 3.22.1), "
                + "written by dev.coach.engine.chat.LlamaCppChatFormats");
        doc.put("cases", cases);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
        System.err.println("wrote " + cases.size() + " cases to " + out);
    }
}
