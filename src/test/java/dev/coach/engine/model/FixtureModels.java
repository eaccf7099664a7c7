package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static dev.coach.engine.gguf.GgmlType.BF16;
import static dev.coach.engine.gguf.GgmlType.F16;
import static dev.coach.engine.gguf.GgmlType.F32;
import static dev.coach.engine.gguf.GgmlType.Q4_0;
import static dev.coach.engine.gguf.GgmlType.Q4_1;
import static dev.coach.engine.gguf.GgmlType.Q4_K;
import static dev.coach.engine.gguf.GgmlType.Q5_0;
import static dev.coach.engine.gguf.GgmlType.Q5_1;
import static dev.coach.engine.gguf.GgmlType.Q5_K;
import static dev.coach.engine.gguf.GgmlType.Q6_K;
import static dev.coach.engine.gguf.GgmlType.Q8_0;

/**
 * Synthetic GGUF v3 models of every architecture and weight type the engine runs, small enough to make in a
 * fraction of a second, deterministic to the byte (every tensor has its own {@link SplittableRandom} stream keyed
 * by the fixture family and the tensor name). Each has the metadata keys and tensor names and shapes llama.cpp
 * requires for its architecture (checked against llama.cpp's loader: every file loads there, see
 * {@code scripts/engine-reference/regen-logits.sh}), so llama.cpp's logits on the same file are the reference
 * for our forward pass ({@link ReferenceLogits}).
 *
 * <p>The models are random: they compute nothing meaningful, but their logits are in a sane range (top logits
 * about 5 to 20) and every architecture feature changes them (soft-capping, sliding windows, RoPE factors, norms,
 * biases), so a forward pass that gets a feature wrong does not match. Where a real model's setting would not show
 * in a 20-token sequence, the fixture uses a setting that does, with the real keys: sliding windows of 5 tokens,
 * soft-caps of 10 and 15, random RoPE frequency factors; each such choice is noted where the fixture is made.
 *
 * <p>Shapes: n_embd 256 (K-quants need rows of 256), 2 layers (Gemma 3: 6), 4 query heads, 1 to 4 KV heads,
 * head_dim 32 to 128, FFN 512, vocabularies of about 300 tokens ({@link FixtureVocab}).
 *
 * <p>Run {@link #main} with a directory to write them all as {@code NAME.gguf}.
 */
public final class FixtureModels {

    /** What a fixture is, for reports and test names. */
    public record Fixture(String name, String architecture, String description) {
    }

    private static final Map<String, Fixture> FIXTURES = new LinkedHashMap<>();
    private static final Map<String, Supplier<byte[]>> MAKERS = new LinkedHashMap<>();

    static {
        for (GgmlType t : List.of(F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)) {
            String name = "llama-" + t.name().toLowerCase(Locale.ROOT);
            add(name, "llama", "Llama 2 style: every 2-D weight " + t + ", F32 norms, untied output, RoPE base 10000",
                    () -> llama(name, Plan.uniform(t)));
        }
        add("llama-q4_k_m", "llama", "Llama 2 style, a Q4_K_M-like mix: Q6_K output.weight and layer-1 attn_v/ffn_down, Q4_K elsewhere",
                () -> llama("llama-q4_k_m", Plan.q4km()));
        add("llama3-q8_0", "llama", "Llama 3.x style: rope_freqs.weight frequency factors (random in 1..8), RoPE base 500000, 8 heads of 32 "
                        + "sharing 2 KV heads, tied embeddings (no output.weight), Q8_0", FixtureModels::llama3);
        add("mistral-q4_k_m", "llama", "Mistral 7B style (general.architecture = llama): SentencePiece vocabulary, RoPE base "
                        + "1e6, 4 query heads on 1 KV head, Q4_K_M-like mix", FixtureModels::mistral);
        add("qwen2-q8_0", "qwen2", "Qwen2.5 style: Q/K/V bias tensors, NeoX RoPE base 1e6, 4 heads on 4 KV heads, Q8_0",
                FixtureModels::qwen2);
        add("qwen3-q6_k", "qwen3", "Qwen3 style: attn_q_norm/attn_k_norm, key_length 128 (query width 512 > n_embd 256), "
                        + "tied embeddings, Q6_K", FixtureModels::qwen3);
        add("phi3-q5_k", "phi3", "Phi-4-mini style: fused attn_qkv, fused gate+up in ffn_up, partial rotary (48 of 64), "
                        + "LongRoPE short/long factors and attn_factor, tied embeddings, Q5_K", FixtureModels::phi3);
        add("gemma2-q4_k_m", "gemma2", "Gemma 2 style: embeddings scaled by sqrt(n_embd), post-attention and post-FFN "
                        + "norms, attention and final logit soft-capping (10 and 15), sliding window 5 on even layers, GELU, "
                        + "key_length 128, tied Q6_K embeddings, Q4_K_M-like mix", FixtureModels::gemma2);
        add("gemma3-q4_0", "gemma3", "Gemma 3 style: 6 layers (5 local, 1 global), QK norm, RoPE base 1e6 with linear "
                        + "scaling 8 on the global layer and base 10000 on local ones, sliding window 5, GELU, "
                        + "1 KV head, key_length 128, tied embeddings, Q4_0", FixtureModels::gemma3);
    }

    /** The fixture names, in a fixed order. */
    public static final List<String> NAMES = List.copyOf(FIXTURES.keySet());

    private FixtureModels() {
    }

    private static void add(String name, String arch, String description, Supplier<byte[]> maker) {
        FIXTURES.put(name, new Fixture(name, arch, description));
        MAKERS.put(name, maker);
    }

    public static Fixture fixture(String name) {
        Fixture f = FIXTURES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no fixture model named '" + name + "'; there are: " + String.join(", ", NAMES));
        }
        return f;
    }

    /** The GGUF bytes of a fixture. */
    public static byte[] bytes(String name) {
        fixture(name);
        return MAKERS.get(name).get();
    }

    /** Writes {@code dir/NAME.gguf} (creating the directory) and returns its path. */
    public static Path write(String name, Path dir) {
        byte[] b = bytes(name);
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name + ".gguf");
            Files.write(p, b);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fixture model " + name + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes every fixture (or the named ones) into the directory given first; prints name, size and sha256. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: FixtureModels DIR [NAME...]   (names: " + String.join(", ", NAMES) + ")");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : NAMES;
        for (String n : names) {
            Path p = write(n, dir);
            try {
                System.out.println(n + "\t" + Files.size(p) + "\t" + sha256(Files.readAllBytes(p)) + "\t" + p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ weight types

    /** The role of a 2-D weight, for choosing its type. */
    enum Role { EMBD, OUTPUT, Q, K, V, QKV, O, GATE, UP, DOWN }

    /** Chooses each 2-D weight's type, like llama.cpp's quantize presets do. */
    interface Plan {
        GgmlType type(Role role, int layer, int nLayer, boolean tied);

        /** The llama_ftype for general.file_type. */
        int fileType();

        static Plan uniform(GgmlType t) {
            return new Plan() {
                public GgmlType type(Role role, int layer, int nLayer, boolean tied) {
                    return t;
                }

                public int fileType() {
                    return switch (t) {
                        case F32 -> 0;
                        case F16 -> 1;
                        case Q4_0 -> 2;
                        case Q4_1 -> 3;
                        case Q8_0 -> 7;
                        case Q5_0 -> 8;
                        case Q5_1 -> 9;
                        case Q4_K -> 14; // Q4_K_S
                        case Q5_K -> 16; // Q5_K_S
                        case Q6_K -> 18;
                        case BF16 -> 32;
                        default -> throw new IllegalArgumentException(t.name());
                    };
                }
            };
        }

        /**
         * Like llama.cpp's Q4_K_M: output (or tied token_embd) Q6_K; attn_v and ffn_down Q6_K on the layers that
         * get more bits (the first and last eighth and every third in between), Q4_K elsewhere; fused QKV Q5_K.
         */
        static Plan q4km() {
            return new Plan() {
                public GgmlType type(Role role, int layer, int nLayer, boolean tied) {
                    return switch (role) {
                        case OUTPUT -> Q6_K;
                        case EMBD -> tied ? Q6_K : Q4_K;
                        case V, DOWN -> moreBits(layer, nLayer) ? Q6_K : Q4_K;
                        case QKV -> Q5_K;
                        default -> Q4_K;
                    };
                }

                public int fileType() {
                    return 15;
                }
            };
        }

        private static boolean moreBits(int layer, int nLayer) {
            return layer < nLayer / 8 || layer >= 7 * nLayer / 8 || (layer - nLayer / 8) % 3 == 2;
        }
    }

    // ------------------------------------------------------------------------------------------ the builder

    /** Shape of a decoder; head_dim may differ from n_embd / n_head (then key_length/value_length are written). */
    record Dims(int nEmbd, int nLayer, int nHead, int nHeadKv, int headDim, int nFf, int ctxTrain) {
        int q() {
            return nHead * headDim;
        }

        int kv() {
            return nHeadKv * headDim;
        }
    }

    /** Which of the shared pieces a decoder has. */
    record Shape(boolean fusedQkv, boolean fusedUp, boolean qkvBias, boolean qkNorm, boolean postNorms, boolean tied) {
        static Shape plain() {
            return new Shape(false, false, false, false, false, false);
        }
    }

    private static final class Builder {
        final GgufWriter w = new GgufWriter();
        final String arch;
        final long seed;
        final Dims d;
        final Plan plan;
        final Shape shape;
        final FixtureVocab vocab;
        /** Standard deviation of token_embd; by default 0.5 untied, 3/sqrt(n_embd) tied (logits of about 3 sigma). */
        double embSigma;
        /**
         * Gain on attn_output and ffn_down. With tied embeddings the current token's own embedding stays in the
         * residual and pulls the logits towards repeating it; larger layer outputs keep that pull moderate.
         */
        double outGain;
        /** Gain on attn_q (or the Q part of attn_qkv): larger attention scores, sharper attention. */
        double qGain = 1;
        /** Range of attn_q_norm/attn_k_norm weights; with QK norm they alone set the attention score scale. */
        double qkNormLo = 0.8;
        double qkNormHi = 1.2;
        /** Range of the post-attention and post-FFN norm weights (Gemma), which set how much each layer adds. */
        double postNormLo = 0.8;
        double postNormHi = 1.2;

        Builder(String name, String family, String arch, Dims d, Plan plan, Shape shape, FixtureVocab vocab) {
            this.arch = arch;
            this.seed = family.hashCode();
            this.d = d;
            this.plan = plan;
            this.shape = shape;
            this.vocab = vocab;
            this.embSigma = shape.tied() ? 3.0 / Math.sqrt(d.nEmbd()) : 0.5;
            this.outGain = shape.tied() ? 2 : 1;
            w.string("general.architecture", arch);
            // not the architecture name in general.name: llama.cpp sets token attributes by name (a name containing
            // "phi3" makes it look up "</s>", "<unk>" and "<s>", which a Phi-4 vocabulary does not have)
            w.string("general.name", "coach fixture " + name.replace("phi3", "phi"));
            w.u32("general.file_type", plan.fileType());
            w.u32("general.quantization_version", 2);
            w.u32(arch + ".context_length", d.ctxTrain());
            w.u32(arch + ".embedding_length", d.nEmbd());
            w.u32(arch + ".block_count", d.nLayer());
            w.u32(arch + ".feed_forward_length", d.nFf());
            w.u32(arch + ".attention.head_count", d.nHead());
            w.u32(arch + ".attention.head_count_kv", d.nHeadKv());
        }

        Builder headLengths() {
            w.u32(arch + ".attention.key_length", d.headDim());
            w.u32(arch + ".attention.value_length", d.headDim());
            return this;
        }

        SplittableRandom rng(String tensor) {
            return new SplittableRandom(seed * 1_000_003L + tensor.hashCode());
        }

        void matrix(String name, Role role, int layer, int ne0, int ne1, double sigma) {
            GgmlType t = plan.type(role, layer, d.nLayer(), shape.tied());
            w.tensor(name, t.id(), RandomWeights.generate(t, (long) ne0 * ne1, sigma, rng(name)), ne0, ne1);
        }

        void vector(String name, float[] v) {
            w.tensor(name, F32.id(), RandomWeights.f32Bytes(v), v.length);
        }

        void norm(String name, int n) {
            vector(name, RandomWeights.uniform(n, 0.8, 1.2, rng(name)));
        }

        /** All tensors: embeddings, output, and per layer attention and FFN, in llama.cpp's names and shapes. */
        byte[] build() {
            vocab.writeTo(w);
            int e = d.nEmbd();
            int nv = vocab.size();
            matrix("token_embd.weight", Role.EMBD, 0, e, nv, embSigma);
            norm("output_norm.weight", e);
            if (!shape.tied()) {
                matrix("output.weight", Role.OUTPUT, 0, e, nv, 3.0 / Math.sqrt(e));
            }
            for (int i = 0; i < d.nLayer(); i++) {
                String p = "blk." + i + ".";
                norm(p + "attn_norm.weight", e);
                if (shape.fusedQkv()) {
                    matrix(p + "attn_qkv.weight", Role.QKV, i, e, d.q() + 2 * d.kv(), 1 / Math.sqrt(e));
                } else {
                    matrix(p + "attn_q.weight", Role.Q, i, e, d.q(), qGain / Math.sqrt(e));
                    matrix(p + "attn_k.weight", Role.K, i, e, d.kv(), 1 / Math.sqrt(e));
                    matrix(p + "attn_v.weight", Role.V, i, e, d.kv(), 1 / Math.sqrt(e));
                }
                if (shape.qkvBias()) {
                    vector(p + "attn_q.bias", RandomWeights.uniform(d.q(), -0.5, 0.5, rng(p + "attn_q.bias")));
                    vector(p + "attn_k.bias", RandomWeights.uniform(d.kv(), -0.5, 0.5, rng(p + "attn_k.bias")));
                    vector(p + "attn_v.bias", RandomWeights.uniform(d.kv(), -0.5, 0.5, rng(p + "attn_v.bias")));
                }
                if (shape.qkNorm()) {
                    vector(p + "attn_q_norm.weight", RandomWeights.uniform(d.headDim(), qkNormLo, qkNormHi, rng(p + "attn_q_norm.weight")));
                    vector(p + "attn_k_norm.weight", RandomWeights.uniform(d.headDim(), qkNormLo, qkNormHi, rng(p + "attn_k_norm.weight")));
                }
                matrix(p + "attn_output.weight", Role.O, i, d.q(), e, outGain / Math.sqrt(d.q()));
                if (shape.postNorms()) {
                    vector(p + "post_attention_norm.weight", RandomWeights.uniform(e, postNormLo, postNormHi, rng(p + "post_attention_norm.weight")));
                }
                norm(p + "ffn_norm.weight", e);
                if (shape.fusedUp()) {
                    matrix(p + "ffn_up.weight", Role.UP, i, e, 2 * d.nFf(), 1 / Math.sqrt(e));
                } else {
                    matrix(p + "ffn_gate.weight", Role.GATE, i, e, d.nFf(), 1 / Math.sqrt(e));
                    matrix(p + "ffn_up.weight", Role.UP, i, e, d.nFf(), 1 / Math.sqrt(e));
                }
                matrix(p + "ffn_down.weight", Role.DOWN, i, d.nFf(), e, outGain / Math.sqrt(d.nFf()));
                if (shape.postNorms()) {
                    vector(p + "post_ffw_norm.weight", RandomWeights.uniform(e, postNormLo, postNormHi, rng(p + "post_ffw_norm.weight")));
                }
            }
            return w.bytes();
        }
    }

    // ------------------------------------------------------------------------------------------ vocabularies

    private static FixtureVocab llama3Vocab() {
        return FixtureVocab.bpe("llama-bpe", 40, List.of("<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"), 0, 1, true);
    }

    private static FixtureVocab qwenVocab() {
        return FixtureVocab.bpe("qwen2", 40, List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"), 0, 2, false);
    }

    private static FixtureVocab phi4Vocab() {
        return FixtureVocab.bpe("gpt-4o", 40, List.of("<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"),
                0, 0, false);
    }

    private static FixtureVocab mistralVocab() {
        return FixtureVocab.spm(List.of("<unk>", "<s>", "</s>"), 1, 2, 0, null, 24);
    }

    private static FixtureVocab gemmaVocab() {
        return FixtureVocab.spm(List.of("<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"), 2, 1, 3, 0, 24);
    }

    // ------------------------------------------------------------------------------------------ architectures

    private static final Dims SMALL = new Dims(256, 2, 4, 2, 64, 512, 4096);

    private static void llamaKeys(Builder b, float ropeBase, int vocabSize) {
        b.w.u32("llama.vocab_size", vocabSize);
        b.w.u32("llama.rope.dimension_count", b.d.headDim());
        b.w.f32("llama.rope.freq_base", ropeBase);
        b.w.f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    }

    static byte[] llama(String name, Plan plan) {
        FixtureVocab v = llama3Vocab();
        Builder b = new Builder(name, "llama", "llama", SMALL, plan, Shape.plain(), v);
        llamaKeys(b, 10000f, v.size());
        return b.build();
    }

    /**
     * Llama 3.x: a rope_freqs.weight tensor of head_dim/2 factors that divide the RoPE frequencies. Real Llama 3.1
     * files carry it (computed from factor 8, low 1, high 4, original context 8192) and no llama.rope.scaling.*
     * keys; its factors only touch the slowest frequencies, which barely move logits in a short context, so here
     * the factors are random in [1, 8] on every frequency: an engine that ignores them cannot match.
     */
    static byte[] llama3() {
        FixtureVocab v = llama3Vocab();
        Dims d = new Dims(256, 2, 8, 2, 32, 512, 131072);
        Shape s = new Shape(false, false, false, false, false, true);
        Builder b = new Builder("llama3-q8_0", "llama3", "llama", d, Plan.uniform(Q8_0), s, v);
        llamaKeys(b, 500000f, v.size());
        b.vector("rope_freqs.weight", RandomWeights.uniform(d.headDim() / 2, 1, 8, b.rng("rope_freqs.weight")));
        return b.build();
    }

    /** Mistral 7B v0.2/v0.3 as converted by llama.cpp: architecture llama, SentencePiece vocabulary, RoPE base 1e6. */
    static byte[] mistral() {
        FixtureVocab v = mistralVocab();
        Dims d = new Dims(256, 2, 4, 1, 64, 512, 32768);
        Builder b = new Builder("mistral-q4_k_m", "mistral", "llama", d, Plan.q4km(), Shape.plain(), v);
        llamaKeys(b, 1_000_000f, v.size());
        return b.build();
    }

    static byte[] qwen2() {
        FixtureVocab v = qwenVocab();
        Dims d = new Dims(256, 2, 4, 4, 64, 512, 32768);
        Shape s = new Shape(false, false, true, false, false, false);
        Builder b = new Builder("qwen2-q8_0", "qwen2", "qwen2", d, Plan.uniform(Q8_0), s, v);
        b.w.f32("qwen2.rope.freq_base", 1_000_000f);
        b.w.f32("qwen2.attention.layer_norm_rms_epsilon", 1e-6f);
        return b.build();
    }

    static byte[] qwen3() {
        FixtureVocab v = qwenVocab();
        Dims d = new Dims(256, 2, 4, 2, 128, 512, 40960);
        Shape s = new Shape(false, false, false, true, false, true);
        Builder b = new Builder("qwen3-q6_k", "qwen3-b", "qwen3", d, Plan.uniform(Q6_K), s, v).headLengths();
        b.w.f32("qwen3.rope.freq_base", 1_000_000f);
        b.w.f32("qwen3.attention.layer_norm_rms_epsilon", 1e-6f);
        return b.build();
    }

    /**
     * Phi-4-mini as converted by llama.cpp: rope.dimension_count below head_dim (partial rotary), LongRoPE factor
     * tensors (rope_factors_short is used while the context is at most rope.scaling.original_context_length,
     * rope_factors_long above), rope.scaling.attn_factor scaling the rotated parts, and a sliding_window key that
     * llama.cpp ignores for phi3.
     */
    static byte[] phi3() {
        FixtureVocab v = phi4Vocab();
        Dims d = new Dims(256, 2, 4, 2, 64, 512, 131072);
        Shape s = new Shape(true, true, false, false, false, true);
        Builder b = new Builder("phi3-q5_k", "phi3", "phi3", d, Plan.uniform(Q5_K), s, v);
        int nRot = 48;
        b.w.u32("phi3.rope.scaling.original_context_length", 4096);
        b.w.f32("phi3.attention.layer_norm_rms_epsilon", 1e-5f);
        b.w.u32("phi3.rope.dimension_count", nRot);
        b.w.f32("phi3.rope.freq_base", 10000f);
        b.w.u32("phi3.attention.sliding_window", 262144);
        b.w.f32("phi3.rope.scaling.attn_factor", (float) Math.sqrt(1 + Math.log(32) / Math.log(4096)));
        b.vector("rope_factors_long.weight", RandomWeights.uniform(nRot / 2, 1, 40, b.rng("rope_factors_long.weight")));
        b.vector("rope_factors_short.weight", RandomWeights.uniform(nRot / 2, 1, 3, b.rng("rope_factors_short.weight")));
        return b.build();
    }

    /**
     * Gemma multiplies the input embeddings by sqrt(n_embd) and ties the output to them, so in a random model the
     * current token's own embedding dominates the final state and its logit saturates; smaller embeddings and
     * post-norm weights of 2 to 4 (real Gemma post-norm weights are large too) let the layers dominate instead.
     */
    private static Builder gemmaScales(Builder b) {
        b.embSigma = 2.0 / Math.sqrt(b.d.nEmbd());
        b.postNormLo = 2;
        b.postNormHi = 4;
        return b;
    }

    /**
     * Gemma 2: the sliding window (every even layer) is 5 instead of 4096 and the soft-caps are tighter than the
     * real 50 and 30, so that both change the logits of a 20-token sequence.
     */
    static byte[] gemma2() {
        FixtureVocab v = gemmaVocab();
        Dims d = new Dims(256, 2, 4, 2, 128, 512, 8192);
        Shape s = new Shape(false, false, false, false, true, true);
        Builder b = gemmaScales(new Builder("gemma2-q4_k_m", "gemma2", "gemma2", d, Plan.q4km(), s, v).headLengths());
        b.qGain = 3; // attention scores of a few units, so that the soft-cap at 10 bends them
        b.w.f32("gemma2.attention.layer_norm_rms_epsilon", 1e-6f);
        b.w.u32("gemma2.attention.sliding_window", 5);
        b.w.f32("gemma2.attn_logit_softcapping", 10f);
        b.w.f32("gemma2.final_logit_softcapping", 15f);
        return b.build();
    }

    /**
     * Gemma 3 (4B and up): no sliding_window_pattern key, so llama.cpp's default of 6 applies (layers 0-4 local,
     * layer 5 global); linear RoPE scaling 8 applies to the global layer only; window 5 instead of 1024.
     */
    static byte[] gemma3() {
        FixtureVocab v = gemmaVocab();
        Dims d = new Dims(256, 6, 4, 1, 128, 512, 131072);
        Shape s = new Shape(false, false, false, true, true, true);
        Builder b = gemmaScales(new Builder("gemma3-q4_0", "gemma3", "gemma3", d, Plan.uniform(Q4_0), s, v).headLengths());
        b.qkNormLo = 1.5; // sharper attention, so that which positions a layer sees and how it rotates them matter
        b.qkNormHi = 2.5;
        b.w.f32("gemma3.attention.layer_norm_rms_epsilon", 1e-6f);
        b.w.u32("gemma3.attention.sliding_window", 5);
        b.w.f32("gemma3.rope.freq_base", 1_000_000f);
        b.w.f32("gemma3.rope.freq_base_swa", 10000f);
        b.w.string("gemma3.rope.scaling.type", "linear");
        b.w.f32("gemma3.rope.scaling.factor", 8f);
        return b.build();
    }
}
