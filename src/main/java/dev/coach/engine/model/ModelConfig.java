package dev.coach.engine.model;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.ModelInfo;

import java.util.List;

/**
 * The hyper-parameters of a decoder-only transformer, read from a GGUF file's {@code <arch>.*} keys. Everything that
 * differs between the supported families is a field here, so the forward pass is one piece of code:
 *
 * <ul>
 *   <li>llama (also Mistral 7B, SmolLM2, TinyLlama, which are stored as {@code llama}): RoPE on adjacent pairs,
 *       optional {@code rope_freqs} factors (Llama 3.1+), optional tied embeddings;</li>
 *   <li>qwen2: RoPE on the two halves of each head, biases on Q, K and V;</li>
 *   <li>qwen3: as qwen2 without biases, with an RMS norm on each query and key head;</li>
 *   <li>phi3: fused QKV and fused gate/up projections, short/long RoPE factors;</li>
 *   <li>gemma2 and gemma3: embeddings scaled by √n_embd, GELU FFN, norms after attention and FFN, sliding-window
 *       layers with their own RoPE base, logit soft-capping (gemma2 also on attention scores), QK norm (gemma3).</li>
 * </ul>
 */
public record ModelConfig(
        String architecture,
        int layers,
        int embedding,
        int heads,
        int kvHeads,
        int headDim,
        int feedForward,
        int vocabulary,
        int trainedContext,
        float rmsEps,
        boolean ropeNeox,
        int ropeDims,
        float ropeBase,
        float ropeScale,
        float ropeBaseSliding,
        float ropeScaleSliding,
        float ropeAttnFactor,
        float attentionScale,
        float attentionSoftcap,
        float finalSoftcap,
        float embeddingScale,
        boolean gelu,
        boolean postNorms,
        int slidingWindow,
        boolean[] slidingLayers) {

    public int kvDim() {
        return kvHeads * headDim;
    }

    public int qDim() {
        return heads * headDim;
    }

    public boolean sliding(int layer) {
        return slidingWindow > 0 && slidingLayers[layer];
    }

    public static ModelConfig from(GgufFile f) {
        ModelInfo.check(f);
        Keys k = new Keys(f);
        String arch = f.architecture().orElseThrow();
        int layers = k.requireInt("block_count");
        int embd = k.requireInt("embedding_length");
        int heads = k.requireInt("attention.head_count");
        int kvHeads = k.optInt("attention.head_count_kv", heads);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw k.bad("attention.head_count_kv", "must divide attention.head_count (" + heads + ") but is " + kvHeads);
        }
        int headDim = k.optInt("attention.key_length", embd / heads);
        int valueDim = k.optInt("attention.value_length", headDim);
        if (valueDim != headDim) {
            throw k.bad("attention.value_length", "is " + valueDim + " but the key length is " + headDim
                    + "; coach runs models whose keys and values have the same head size");
        }
        int ff = k.requireInt("feed_forward_length");
        int vocab = f.tensor("token_embd.weight").map(t -> (int) t.shape()[1])
                .orElseThrow(() -> new GgufException(f.path() + ": no tensor token_embd.weight; the file is not a complete model"));
        int ctx = k.optInt("context_length", 4096);
        float eps = k.requireFloat("attention.layer_norm_rms_epsilon");
        int ropeDims = k.optInt("rope.dimension_count", headDim);
        float ropeBase = k.optFloat("rope.freq_base", 10000f);
        String scaling = k.optString("rope.scaling.type", "linear");
        if (!scaling.equals("linear") && !scaling.equals("none")) {
            throw k.bad("rope.scaling.type", "is '" + scaling + "'; coach supports linear RoPE scaling (and Llama 3 / Phi-3 frequency factors)");
        }
        float factor = k.optFloat("rope.scaling.factor", k.optFloat("rope.scale_linear", 0f));
        float ropeScale = factor == 0f || scaling.equals("none") ? 1f : 1f / factor;
        float attnFactor = k.optFloat("rope.scaling.attn_factor", 1f);

        boolean neox = !arch.equals("llama");
        boolean gemma = arch.startsWith("gemma");
        float attnScale = (float) (1.0 / Math.sqrt(headDim));
        float attnCap = 0f;
        float finalCap = 0f;
        int window = 0;
        boolean[] slidingLayers = new boolean[layers];
        float baseSwa = ropeBase;
        float scaleSwa = ropeScale;
        if (gemma) {
            int defaultPattern = arch.equals("gemma2") ? 2 : 6;
            if (arch.equals("gemma2")) {
                window = k.optInt("attention.sliding_window", 4096);
                attnCap = k.optFloat("attn_logit_softcapping", 0f);
                finalCap = k.optFloat("final_logit_softcapping", 0f);
            } else {
                window = k.optInt("attention.sliding_window", 0);
                finalCap = k.optFloat("final_logit_softcapping", 0f);
            }
            if (window > 0) {
                Object pattern = f.metadata().get(arch + ".attention.sliding_window_pattern");
                if (pattern instanceof List<?> list) {
                    if (list.size() < layers) {
                        throw k.bad("attention.sliding_window_pattern", "has " + list.size() + " entries for " + layers + " layers");
                    }
                    for (int i = 0; i < layers; i++) {
                        slidingLayers[i] = Boolean.TRUE.equals(list.get(i));
                    }
                } else {
                    int n = pattern instanceof Number num ? num.intValue() : defaultPattern;
                    for (int i = 0; i < layers; i++) {
                        slidingLayers[i] = n == 0 || i % n < n - 1;
                    }
                }
                // Gemma 2 gives its sliding layers the global RoPE settings unless told otherwise; Gemma 3's sliding
                // layers default to base 10000 and are never frequency-scaled.
                if (arch.equals("gemma2")) {
                    baseSwa = k.optFloat("rope.freq_base_swa", ropeBase);
                } else {
                    baseSwa = k.optFloat("rope.freq_base_swa", 10000f);
                    scaleSwa = 1f;
                }
            }
            // Gemma's 27B models scale queries by the model width per head instead of the head size.
            if ((arch.equals("gemma2") && layers == 46) || (arch.equals("gemma3") && layers == 62)) {
                attnScale = (float) (1.0 / Math.sqrt((double) embd / heads));
            }
        }
        return new ModelConfig(arch, layers, embd, heads, kvHeads, headDim, ff, vocab, ctx, eps, neox, ropeDims, ropeBase, ropeScale,
                baseSwa, scaleSwa, attnFactor, attnScale, attnCap, finalCap, gemma ? (float) Math.sqrt(embd) : 1f, gemma, gemma, window,
                slidingLayers);
    }

    /**
     * Reads {@code <arch>.<key>} values through {@link GgufFile}'s typed accessors (which name the file, the key and
     * what was found), plus per-layer integer arrays, which coach accepts when every layer has the same value.
     */
    private record Keys(GgufFile f, String prefix) {
        Keys(GgufFile f) {
            this(f, f.architecture().orElseThrow() + ".");
        }

        GgufException bad(String key, String what) {
            return new GgufException(f.path() + ": " + prefix + key + " " + what);
        }

        int requireInt(String key) {
            if (!f.has(prefix + key)) {
                throw bad(key, "is missing; the file does not describe a complete " + prefix.substring(0, prefix.length() - 1) + " model");
            }
            return optInt(key, 0);
        }

        int optInt(String key, int dflt) {
            if (f.metadata().get(prefix + key) instanceof List<?>) {
                int[] perLayer = f.intArray(prefix + key);
                for (int v : perLayer) {
                    if (v != perLayer[0]) {
                        throw bad(key, "differs between layers (" + java.util.Arrays.toString(perLayer) + "); coach runs models with one value for all layers");
                    }
                }
                return perLayer.length == 0 ? dflt : perLayer[0];
            }
            int v = f.optionalInt(prefix + key, dflt);
            if (v < 0 || v > Integer.MAX_VALUE / 4) {
                throw bad(key, "is " + v + ", which is not a plausible size");
            }
            return v;
        }

        float requireFloat(String key) {
            return f.requireFloat(prefix + key);
        }

        float optFloat(String key, float dflt) {
            return f.optionalFloat(prefix + key, dflt);
        }

        String optString(String key, String dflt) {
            return f.string(prefix + key).orElse(dflt);
        }
    }
}
