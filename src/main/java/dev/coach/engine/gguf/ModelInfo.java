package dev.coach.engine.gguf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a GGUF model is, read from its metadata and tensor table: architecture (chosen from
 * {@code general.architecture}, never from the name), parameters, the mix of weight types, context length and
 * chat template. {@link #check} refuses architectures and tensor types the engine does not run, naming them.
 */
public record ModelInfo(String file, String name, String architecture, long parameters, long weightBytes,
                        Map<String, Long> typeMix, Long contextLength, boolean chatTemplate, String tokenizer, int tensors) {

    public static final List<String> ARCHITECTURES = List.of("llama", "qwen2", "qwen3", "mistral", "phi3", "gemma2", "gemma3");

    public static ModelInfo of(GgufFile f) {
        String arch = f.architecture().orElse("(none)");
        long params = 0;
        long bytes = 0;
        Map<String, Long> mix = new TreeMap<>();
        for (GgufTensor t : f.tensors()) {
            params += t.elements();
            bytes += t.bytes();
            mix.merge(t.type().name(), t.elements(), Long::sum);
        }
        return new ModelInfo(f.path().toString(), f.string("general.name").orElse(null), arch, params, bytes, new LinkedHashMap<>(mix),
                f.integer(arch + ".context_length").orElse(null), f.metadata().containsKey("tokenizer.chat_template"),
                f.string("tokenizer.ggml.model").orElse(null), f.tensors().size());
    }

    /** Throws a {@link GgufException} if the engine cannot run this model, saying why. */
    public static void check(GgufFile f) {
        String arch = f.architecture().orElseThrow(() -> new GgufException(f.path() + ": no general.architecture in the metadata; "
                + "this is not a model file coach can run"));
        if (!ARCHITECTURES.contains(arch)) {
            throw new GgufException(f.path() + ": architecture '" + arch + "' is not supported; coach runs " + String.join(", ", ARCHITECTURES));
        }
        for (GgufTensor t : f.tensors()) {
            if (!t.type().supported()) {
                throw new GgufException(f.path() + ": tensor '" + t.name() + "' has type " + t.type() + ", which coach does not support; "
                        + "supported types: " + String.join(", ", GgmlType.supportedTypes().stream().map(Enum::name).toList())
                        + " (re-quantize the model to one of them, e.g. Q4_K_M or Q8_0)");
            }
        }
    }
}
