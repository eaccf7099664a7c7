package dev.coach.engine.gguf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a GGUF model is, read from its metadata and tensor table: architecture (chosen from
 * {@code general.architecture}, never from the name), parameters, the mix of weight types, context length and
 * chat template. {@link #check} refuses architectures, tensor types and malformed hyperparameters the engine cannot
 * run, naming them.
 */
public record ModelInfo(String file, String name, String architecture, long parameters, long weightBytes,
                        Map<String, Long> typeMix, Long contextLength, boolean chatTemplate, String tokenizer, int tensors) {

    public static final List<String> ARCHITECTURES = List.of("llama", "qwen2", "qwen3", "phi3", "gemma2", "gemma3");

    /** Hyperparameters (after "ARCH.") the engine reads as integers, if the file has them. */
    static final List<String> INTEGER_KEYS = List.of("block_count", "context_length", "embedding_length", "feed_forward_length",
            "attention.head_count", "attention.head_count_kv", "attention.key_length", "attention.value_length",
            "rope.dimension_count", "attention.sliding_window", "vocab_size");
    /** Integer hyperparameters that may also be given per layer, as an array. */
    static final List<String> PER_LAYER_KEYS = List.of("feed_forward_length", "attention.head_count", "attention.head_count_kv");
    /** Hyperparameters (after "ARCH.") the engine reads as numbers, if the file has them. */
    static final List<String> NUMBER_KEYS = List.of("attention.layer_norm_rms_epsilon", "rope.freq_base", "rope.scaling.factor",
            "attn_logit_softcapping", "final_logit_softcapping");
    static final List<String> TOKENIZER_INTEGER_KEYS = List.of("tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
            "tokenizer.ggml.padding_token_id", "tokenizer.ggml.unknown_token_id");

    /** A summary for display; lenient: values of an unexpected type are shown as absent (use {@link #check} to refuse them). */
    public static ModelInfo of(GgufFile f) {
        String arch = f.metadata().get("general.architecture") instanceof String s ? s : "(none)";
        long params = 0;
        long bytes = 0;
        Map<String, Long> mix = new TreeMap<>();
        for (GgufTensor t : f.tensors()) {
            params += t.elements();
            bytes += t.bytes();
            mix.merge(t.type().name(), t.elements(), Long::sum);
        }
        Long context;
        try {
            context = f.integer(arch + ".context_length").orElse(null);
        } catch (GgufException e) {
            context = null; // shown as "not stated"; check() names the problem
        }
        return new ModelInfo(f.path().toString(), f.metadata().get("general.name") instanceof String s ? s : null, arch, params, bytes,
                new LinkedHashMap<>(mix), context, f.metadata().containsKey("tokenizer.chat_template"),
                f.metadata().get("tokenizer.ggml.model") instanceof String s ? s : null, f.tensors().size());
    }

    /** Throws a {@link GgufException} if the engine cannot run this model, saying why. */
    public static void check(GgufFile f) {
        String arch = f.architecture().orElseThrow(() -> new GgufException(f.path() + ": no general.architecture in the metadata; "
                + "this is not a model file coach can run"));
        if (!ARCHITECTURES.contains(arch)) {
            throw new GgufException(f.path() + ": architecture '" + arch + "' is not supported; coach runs " + String.join(", ", ARCHITECTURES));
        }
        // the typed accessors refuse a present value of the wrong type with a message naming the key and what it holds
        for (String k : INTEGER_KEYS) {
            // Per-layer values come as integer arrays (as llama.cpp allows for head counts and FFN sizes).
            if (PER_LAYER_KEYS.contains(k) && f.metadata().get(arch + "." + k) instanceof List<?>) {
                f.intArray(arch + "." + k);
            } else {
                f.optionalInt(arch + "." + k, 0);
            }
        }
        for (String k : NUMBER_KEYS) {
            f.optionalFloat(arch + "." + k, 0);
        }
        for (String k : TOKENIZER_INTEGER_KEYS) {
            f.optionalInt(k, 0);
        }
        f.string("tokenizer.ggml.model");
        f.string("tokenizer.ggml.pre");
        f.string("tokenizer.chat_template");
        if (f.has("tokenizer.ggml.tokens")) {
            f.stringArray("tokenizer.ggml.tokens");
        }
        if (f.has("tokenizer.ggml.merges")) {
            f.stringArray("tokenizer.ggml.merges");
        }
        if (f.has("tokenizer.ggml.scores")) {
            f.floatArray("tokenizer.ggml.scores");
        }
        if (f.has("tokenizer.ggml.token_type")) {
            f.intArray("tokenizer.ggml.token_type");
        }
        for (GgufTensor t : f.tensors()) {
            if (!t.type().supported()) {
                throw new GgufException(f.path() + ": tensor '" + t.name() + "' has type " + t.type() + ", which coach does not support; "
                        + "supported types: " + GgmlType.supportedList() + " (re-quantize the model to one of them, e.g. Q4_K_M or Q8_0)");
            }
        }
    }
}
