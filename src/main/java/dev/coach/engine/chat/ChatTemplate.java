package dev.coach.engine.chat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a conversation into the prompt text a model was trained on.
 *
 * <p>A model file's own template ({@code tokenizer.chat_template}, a Hugging Face Jinja2 template) is rendered the
 * way Hugging Face transformers' {@code apply_chat_template} renders it, with the variables {@code messages}
 * (each a mapping with {@code role} and {@code content}), {@code add_generation_prompt}, {@code bos_token} and
 * {@code eos_token}, plus any extra variables given to {@link #render(List, boolean, Map)} (such as
 * {@code enable_thinking}). Variables that are not given are undefined (so {@code tools} is undefined, and
 * {@code tools is none} is true).
 *
 * <p>Files without a template get a built-in format ({@link #builtInNames()}) whose text is identical to
 * llama.cpp's hard-coded format of the same name. {@link #forModel} chooses; {@link #name()} and {@link #note()}
 * say what it chose and why. A file with no template and nothing that identifies its format gets {@code chatml},
 * which is also llama.cpp's default in that case, and the note says so.
 *
 * <p>Failures are {@link ChatTemplateException}s that name the template and the reason; a template that refuses a
 * conversation with {@code raise_exception(msg)} surfaces {@code msg} unchanged.
 */
public final class ChatTemplate {

    /** The GGUF metadata key of a model's own chat template. */
    public static final String METADATA_KEY = "tokenizer.chat_template";

    private final String name;
    private final String note;
    private final BuiltInTemplate builtIn;
    private final JinjaTemplate jinja;
    private final String bosToken;
    private final String eosToken;
    private final List<String> stopStrings;
    private final Clock clock;

    private ChatTemplate(String name, String note, BuiltInTemplate builtIn, JinjaTemplate jinja, String bosToken, String eosToken,
                         List<String> stopStrings, Clock clock) {
        this.name = name;
        this.note = note;
        this.builtIn = builtIn;
        this.jinja = jinja;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.stopStrings = List.copyOf(stopStrings);
        this.clock = clock;
    }

    /** The names of the built-in formats: llama3, chatml, gemma, phi3, mistral. */
    public static List<String> builtInNames() {
        return Arrays.stream(BuiltInTemplate.values()).map(BuiltInTemplate::id).toList();
    }

    /** A built-in format by name (see {@link #builtInNames()}). */
    public static ChatTemplate builtIn(String name) {
        BuiltInTemplate t = BuiltInTemplate.byId(name);
        if (t == null) {
            throw new IllegalArgumentException("there is no built-in chat template '" + name + "'; the built-in ones are "
                    + String.join(", ", builtInNames()));
        }
        return builtIn(t, "built-in '" + name + "' format, chosen by name", "", "");
    }

    private static ChatTemplate builtIn(BuiltInTemplate t, String note, String bos, String eos) {
        return new ChatTemplate(t.id(), note, t, null, bos, eos, t.stops(), Clock.systemDefaultZone());
    }

    /**
     * A Hugging Face Jinja2 chat template. The source is checked now: a syntax error, an unknown filter or an
     * unknown test throws a {@link ChatTemplateException}.
     *
     * @param name     what to call the template in messages
     * @param source   the Jinja2 source
     * @param bosToken the value of {@code bos_token} (the BOS token's text, e.g. {@code <|begin_of_text|>}), or ""
     * @param eosToken the value of {@code eos_token}, or ""
     */
    public static ChatTemplate jinja(String name, String source, String bosToken, String eosToken) {
        JinjaTemplate t = new JinjaTemplate(name, source);
        return new ChatTemplate(name, "Jinja template '" + name + "'", null, t, nz(bosToken), nz(eosToken),
                stopsFor(source, eosToken), Clock.systemDefaultZone());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The template for a model, from its GGUF metadata: the file's own {@code tokenizer.chat_template} if it has
     * one (or, failing that, {@code tokenizer.chat_template.tool_use}, as llama.cpp does), else a built-in format chosen from the vocabulary's special tokens ({@code <|start_header_id|>} llama3,
     * {@code <|im_start|>} chatml, {@code <start_of_turn>} gemma, {@code <|user|>} with {@code <|end|>} phi3,
     * {@code [INST]} mistral), else from {@code general.architecture} (qwen2/qwen3 chatml, gemma* gemma, phi3 phi3,
     * mistral mistral), else chatml, as llama.cpp does.
     */
    public static ChatTemplate forModel(Map<String, Object> metadata) {
        String bos = tokenText(metadata, "tokenizer.ggml.bos_token_id");
        String eos = tokenText(metadata, "tokenizer.ggml.eos_token_id");
        // like llama.cpp, fall back on the file's named tool-use template when it has no default one
        for (String key : List.of(METADATA_KEY, METADATA_KEY + ".tool_use")) {
            if (metadata.get(key) instanceof String source && !source.isBlank()) {
                JinjaTemplate t = new JinjaTemplate(key, source);
                return new ChatTemplate(key, "the model file's own chat template (" + key + ")", null, t, bos, eos,
                        stopsFor(source, eos), Clock.systemDefaultZone());
            }
        }
        Set<String> vocabulary = new HashSet<>();
        if (metadata.get("tokenizer.ggml.tokens") instanceof List<?> tokens) {
            for (Object o : tokens) {
                if (o instanceof String s && s.length() < 32 && (s.startsWith("<") || s.startsWith("["))) {
                    vocabulary.add(s);
                }
            }
        }
        String noTemplate = "the model file has no " + METADATA_KEY;
        if (vocabulary.contains("<|start_header_id|>")) {
            return builtIn(BuiltInTemplate.LLAMA3, "built-in 'llama3' format: " + noTemplate + ", and its vocabulary has <|start_header_id|>", bos, eos);
        }
        if (vocabulary.contains("<|im_start|>")) {
            return builtIn(BuiltInTemplate.CHATML, "built-in 'chatml' format: " + noTemplate + ", and its vocabulary has <|im_start|>", bos, eos);
        }
        if (vocabulary.contains("<start_of_turn>")) {
            return builtIn(BuiltInTemplate.GEMMA, "built-in 'gemma' format: " + noTemplate + ", and its vocabulary has <start_of_turn>", bos, eos);
        }
        if (vocabulary.contains("<|user|>") && vocabulary.contains("<|end|>")) {
            return builtIn(BuiltInTemplate.PHI3, "built-in 'phi3' format: " + noTemplate + ", and its vocabulary has <|user|> and <|end|>", bos, eos);
        }
        if (vocabulary.contains("[INST]")) {
            return builtIn(BuiltInTemplate.MISTRAL, "built-in 'mistral' format: " + noTemplate + ", and its vocabulary has [INST]", bos, eos);
        }
        String arch = metadata.get("general.architecture") instanceof String a ? a : "";
        BuiltInTemplate byArch = switch (arch) {
            case "qwen2", "qwen3" -> BuiltInTemplate.CHATML;
            case "gemma", "gemma2", "gemma3" -> BuiltInTemplate.GEMMA;
            case "phi3" -> BuiltInTemplate.PHI3;
            case "mistral" -> BuiltInTemplate.MISTRAL;
            default -> null;
        };
        if (byArch != null) {
            return builtIn(byArch, "built-in '" + byArch.id() + "' format: " + noTemplate + ", and its architecture is " + arch, bos, eos);
        }
        return builtIn(BuiltInTemplate.CHATML, "built-in 'chatml' format, as a fallback: " + noTemplate
                + " and nothing in it identifies its chat format" + (arch.isEmpty() ? "" : " (architecture " + arch + ")")
                + "; llama.cpp also falls back to chatml here. If the model answers badly, give it a file with a chat template", bos, eos);
    }

    private static String tokenText(Map<String, Object> metadata, String idKey) {
        if (metadata.get(idKey) instanceof Number id && metadata.get("tokenizer.ggml.tokens") instanceof List<?> tokens) {
            long i = id.longValue();
            if (i >= 0 && i < tokens.size() && tokens.get((int) i) instanceof String s) {
                return s;
            }
        }
        return "";
    }

    /** The stop strings of the built-in format whose markers the template uses, and its EOS text. */
    private static List<String> stopsFor(String source, String eos) {
        Set<String> stops = new LinkedHashSet<>();
        if (source.contains("<|start_header_id|>")) {
            stops.addAll(BuiltInTemplate.LLAMA3.stops());
        }
        if (source.contains("<|im_start|>") || source.contains("<|im_end|>")) {
            stops.addAll(BuiltInTemplate.CHATML.stops());
        }
        if (source.contains("<start_of_turn>") || source.contains("<end_of_turn>")) {
            stops.addAll(BuiltInTemplate.GEMMA.stops());
        }
        if (source.contains("<|end|>")) {
            stops.addAll(BuiltInTemplate.PHI3.stops());
        }
        if (eos != null && !eos.isEmpty()) {
            stops.add(eos);
        }
        return new ArrayList<>(stops);
    }

    /** A copy that reads the time for {@code strftime_now} from this clock (for tests and reproducible prompts). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(name, note, builtIn, jinja, bosToken, eosToken, stopStrings, clock);
    }

    /** The template's name: a built-in name (llama3, chatml, gemma, phi3, mistral) or the Jinja template's name. */
    public String name() {
        return name;
    }

    /** Why this template was chosen, in a sentence fit to show the user. */
    public String note() {
        return note;
    }

    /** True for a built-in format, false for a Jinja template. */
    public boolean isBuiltIn() {
        return builtIn != null;
    }

    /** The Jinja source, or null for a built-in format. */
    public String source() {
        return jinja == null ? null : jinja.source();
    }

    /** The text given to templates as {@code bos_token} ("" if unknown). */
    public String bosToken() {
        return bosToken;
    }

    /** The text given to templates as {@code eos_token} ("" if unknown). */
    public String eosToken() {
        return eosToken;
    }

    /**
     * Strings that end an assistant turn: generation should stop when one appears. For a built-in format its own
     * end marker ({@code <|eot_id|>}, {@code <|im_end|>}, {@code <end_of_turn>}, {@code <|end|>}, {@code </s>}); for a
     * Jinja template the markers of the formats it uses, and its EOS text.
     */
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** Renders the conversation; {@code addGenerationPrompt} appends the opening of an assistant turn. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders the conversation with extra template variables (for a Jinja template; a built-in format ignores
     * them). {@code messages}, {@code add_generation_prompt}, {@code bos_token} and {@code eos_token} are set here
     * and win over extras of the same name.
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        if (builtIn != null) {
            return builtIn.render(messages, addGenerationPrompt);
        }
        Map<String, Object> vars = new LinkedHashMap<>(extraVariables);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        vars.put("messages", list);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        return jinja.render(vars, clock);
    }

    /**
     * The rendered text without a leading BOS text, which is what llama.cpp tokenizes when the tokenizer adds the
     * BOS token itself (otherwise the prompt would start with two BOS tokens).
     */
    public String withoutLeadingBos(String rendered) {
        return !bosToken.isEmpty() && rendered.startsWith(bosToken) ? rendered.substring(bosToken.length()) : rendered;
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + name + "]";
    }
}
