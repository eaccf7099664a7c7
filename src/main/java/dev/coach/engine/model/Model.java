package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufTensor;

import java.util.Optional;

/**
 * A transformer loaded from a GGUF file: the weights stay mapped in the file, only norms, biases and RoPE factors are
 * decoded into small float arrays. {@link #newSession} gives a decoding session with its own KV cache; one model can
 * serve several sessions one after another (a session is not thread-safe, and sessions share the model's workers).
 */
public final class Model implements AutoCloseable {

    /** The weights of one transformer block; a field is null where the architecture has no such tensor. */
    record Layer(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, Matrix wqkv, float[] bq, float[] bk, float[] bv, float[] bqkv,
                 Matrix wo, float[] bo, float[] qNorm, float[] kNorm, float[] attnPostNorm, float[] ffnNorm, Matrix gate, Matrix up,
                 Matrix down, float[] ffnPostNorm) {
    }

    private final ModelConfig config;
    private final Matrix tokenEmbedding;
    private final Matrix output;
    private final float[] outputNorm;
    private final float[] outputBias;
    private final Layer[] layers;
    private final float[] ropeFactors;
    private final float[] ropeFactorsLong;
    private final float[] ropeFactorsShort;
    private final int ropeOriginalContext;
    private final WorkerPool pool;

    private Model(GgufFile file, ModelConfig config, int threads) {
        this.config = config;
        String where = file.path().toString();
        Weights w = new Weights(file, config);
        tokenEmbedding = w.matrix("token_embd.weight", config.embedding(), config.vocabulary());
        output = w.optionalMatrix("output.weight", config.embedding(), config.vocabulary()).orElse(tokenEmbedding);
        outputNorm = w.vector("output_norm.weight", config.embedding());
        outputBias = w.optionalVector("output.bias", config.vocabulary());
        ropeFactors = w.optionalVector("rope_freqs.weight", config.ropeDims() / 2);
        ropeFactorsLong = w.optionalVector("rope_factors_long.weight", config.ropeDims() / 2);
        ropeFactorsShort = w.optionalVector("rope_factors_short.weight", config.ropeDims() / 2);
        ropeOriginalContext = (int) file.integer(config.architecture() + ".rope.scaling.original_context_length")
                .orElse((long) config.trainedContext()).longValue();
        layers = new Layer[config.layers()];
        int e = config.embedding();
        int q = config.qDim();
        int kv = config.kvDim();
        int ff = config.feedForward();
        for (int i = 0; i < layers.length; i++) {
            String p = "blk." + i + ".";
            Matrix wqkv = w.optionalMatrix(p + "attn_qkv.weight", e, q + 2 * kv).orElse(null);
            Matrix wq = wqkv != null ? null : w.matrix(p + "attn_q.weight", e, q);
            Matrix wk = wqkv != null ? null : w.matrix(p + "attn_k.weight", e, kv);
            Matrix wv = wqkv != null ? null : w.matrix(p + "attn_v.weight", e, kv);
            boolean fusedUp = config.architecture().equals("phi3");
            Matrix gate = fusedUp ? null : w.matrix(p + "ffn_gate.weight", e, ff);
            Matrix up = w.matrix(p + "ffn_up.weight", e, fusedUp ? 2 * ff : ff);
            layers[i] = new Layer(
                    w.vector(p + "attn_norm.weight", e), wq, wk, wv, wqkv,
                    w.optionalVector(p + "attn_q.bias", q), w.optionalVector(p + "attn_k.bias", kv), w.optionalVector(p + "attn_v.bias", kv),
                    w.optionalVector(p + "attn_qkv.bias", q + 2 * kv),
                    w.matrix(p + "attn_output.weight", q, e), w.optionalVector(p + "attn_output.bias", e),
                    w.optionalVector(p + "attn_q_norm.weight", config.headDim()), w.optionalVector(p + "attn_k_norm.weight", config.headDim()),
                    config.postNorms() ? w.vector(p + "post_attention_norm.weight", e) : null,
                    w.vector(p + "ffn_norm.weight", e), gate, up, w.matrix(p + "ffn_down.weight", ff, e),
                    config.postNorms() ? w.vector(p + "post_ffw_norm.weight", e) : null);
        }
        if (config.architecture().equals("qwen3") || config.architecture().equals("gemma3")) {
            for (int i = 0; i < layers.length; i++) {
                if (layers[i].qNorm() == null || layers[i].kNorm() == null) {
                    throw new GgufException(where + ": layer " + i + " has no attn_q_norm/attn_k_norm, which " + config.architecture() + " needs");
                }
            }
        }
        pool = new WorkerPool(threads);
    }

    /** Loads with one worker per available processor. */
    public static Model load(GgufFile file) {
        return load(file, Runtime.getRuntime().availableProcessors());
    }

    public static Model load(GgufFile file, int threads) {
        return new Model(file, ModelConfig.from(file), threads);
    }

    public ModelConfig config() {
        return config;
    }

    public int threads() {
        return pool.threads();
    }

    /** Bytes of weights read to decode one token (every matrix except the embedding table, whose one row is read). */
    public long weightBytesPerToken() {
        long sum = output.bytes();
        for (Layer l : layers) {
            for (Matrix m : new Matrix[]{l.wq(), l.wk(), l.wv(), l.wqkv(), l.wo(), l.gate(), l.up(), l.down()}) {
                if (m != null) {
                    sum += m.bytes();
                }
            }
        }
        return sum;
    }

    /** A new decoding session whose KV cache (F16, as llama.cpp's default) can hold up to {@code contextLength} positions. */
    public Session newSession(int contextLength) {
        return newSession(contextLength, KvCache.Type.F16);
    }

    /** A new decoding session with the KV cache stored as {@code kv}. */
    public Session newSession(int contextLength, KvCache.Type kv) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        float[] factors = ropeFactors != null ? ropeFactors
                : ropeFactorsLong != null && contextLength > ropeOriginalContext ? ropeFactorsLong : ropeFactorsShort;
        return new Session(this, contextLength, factors, kv);
    }

    /** Logits after each of {@code tokens}, fed in order from an empty cache (teacher forcing). */
    public float[][] teacherForced(int[] tokens) {
        return teacherForced(tokens, KvCache.Type.F32);
    }

    /** Teacher forcing with the KV cache stored as {@code kv} (the llama.cpp references use F32). */
    public float[][] teacherForced(int[] tokens, KvCache.Type kv) {
        Session s = newSession(Math.max(1, tokens.length), kv);
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = s.next(tokens[i]).clone();
        }
        return out;
    }

    Matrix tokenEmbedding() {
        return tokenEmbedding;
    }

    Matrix output() {
        return output;
    }

    float[] outputNorm() {
        return outputNorm;
    }

    float[] outputBias() {
        return outputBias;
    }

    Layer layer(int i) {
        return layers[i];
    }

    WorkerPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Finds tensors by name and checks their shapes, with errors that name the file and the tensor. */
    private record Weights(GgufFile file, ModelConfig config) {
        Optional<Matrix> optionalMatrix(String name, int cols, int rows) {
            return file.tensor(name).map(t -> {
                check(t, cols, rows);
                if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16 && t.type() != GgmlType.BF16 && cols % t.type().blockSize() != 0) {
                    throw new GgufException(file.path() + ": tensor '" + name + "' rows of " + cols + " do not fill whole " + t.type() + " blocks");
                }
                return Matrix.of(t, file.path().toString());
            });
        }

        Matrix matrix(String name, int cols, int rows) {
            return optionalMatrix(name, cols, rows).orElseThrow(() -> missing(name));
        }

        float[] optionalVector(String name, int n) {
            return file.tensor(name).map(t -> {
                check(t, n, 1);
                return Matrix.of(t, file.path().toString()).toFloats();
            }).orElse(null);
        }

        float[] vector(String name, int n) {
            float[] v = optionalVector(name, n);
            if (v == null) {
                throw missing(name);
            }
            return v;
        }

        private GgufException missing(String name) {
            return new GgufException(file.path() + ": tensor '" + name + "' is missing; a " + config.architecture()
                    + " model needs it (the file may be incomplete or converted for another architecture)");
        }

        private void check(GgufTensor t, long cols, long rows) {
            long[] s = t.shape();
            long r = 1;
            for (int i = 1; i < s.length; i++) {
                r *= s[i];
            }
            if (s[0] != cols || r != rows) {
                throw new GgufException(file.path() + ": tensor '" + t.name() + "' has shape " + java.util.Arrays.toString(s)
                        + " but the model's hyper-parameters call for [" + cols + (rows == 1 ? "" : ", " + rows) + "]");
            }
        }
    }
}
