package dev.coach.engine.model;

import java.util.Arrays;

/**
 * One decoding stream over a {@link Model}: the KV cache, the current position and scratch buffers. {@link #next}
 * feeds one token and returns the logits for the token after it; {@link #prefill} feeds a prompt in chunks of up to
 * {@value #MAX_BATCH} tokens, so each weight row is read once per chunk instead of once per token, and computes
 * logits for the last token only. The cache grows as positions are used, up to the context length given when the
 * session was made. Not thread-safe.
 */
public final class Session {
    /** Prompt tokens processed together. */
    public static final int MAX_BATCH = 32;

    private final Model model;
    private final ModelConfig c;
    private final int capacity;
    private final float[] ropeFactors;
    private final KvCache[] keys;
    private final KvCache[] values;
    private final KvCache.Type kvType;
    private int allocated;
    private int position;

    private final float[][] x;
    private final float[][] xb;
    private final float[][] q;
    private final float[][] k;
    private final float[][] v;
    private final float[][] qkv;
    private final float[][] att;
    private final float[][] proj;
    private final float[][] hidden;
    private final float[][] hidden2;
    private final float[] logits;
    private final float[][] scores;
    private final RoundedInput[] input = new RoundedInput[MAX_BATCH];

    Session(Model model, int capacity, float[] ropeFactors, KvCache.Type kvType) {
        this.model = model;
        this.c = model.config();
        this.capacity = capacity;
        this.ropeFactors = ropeFactors;
        this.kvType = kvType;
        this.keys = new KvCache[c.layers()];
        this.values = new KvCache[c.layers()];
        int e = c.embedding();
        boolean fused = model.layer(0).gate() == null;
        x = new float[MAX_BATCH][e];
        xb = new float[MAX_BATCH][e];
        q = new float[MAX_BATCH][c.qDim()];
        k = new float[MAX_BATCH][c.kvDim()];
        v = new float[MAX_BATCH][c.kvDim()];
        qkv = new float[MAX_BATCH][c.qDim() + 2 * c.kvDim()];
        att = new float[MAX_BATCH][c.qDim()];
        proj = new float[MAX_BATCH][e];
        hidden = new float[MAX_BATCH][fused ? 2 * c.feedForward() : c.feedForward()];
        hidden2 = new float[MAX_BATCH][c.feedForward()];
        logits = new float[c.vocabulary()];
        scores = new float[c.heads()][];
        for (int i = 0; i < MAX_BATCH; i++) {
            input[i] = new RoundedInput();
        }
        grow(Math.min(capacity, 256));
    }

    public int position() {
        return position;
    }

    /**
     * Moves back to {@code position}, keeping the keys and values of the positions before it; what is fed next
     * overwrites the later ones. A prompt that begins with tokens this session has already read then needs only the
     * rest fed.
     *
     * @throws IllegalArgumentException if {@code position} is negative or past the current position
     */
    public void rewind(int position) {
        if (position < 0 || position > this.position) {
            throw new IllegalArgumentException("can rewind to 0.." + this.position + ", not " + position);
        }
        this.position = position;
    }

    public int capacity() {
        return capacity;
    }

    private void grow(int positions) {
        int kv = c.kvDim();
        for (int l = 0; l < c.layers(); l++) {
            if (keys[l] == null) {
                keys[l] = KvCache.of(kvType, kv, positions);
                values[l] = KvCache.of(kvType, kv, positions);
            } else {
                keys[l].grow(positions);
                values[l].grow(positions);
            }
        }
        for (int h = 0; h < scores.length; h++) {
            scores[h] = new float[positions];
        }
        allocated = positions;
    }

    /**
     * Feeds {@code token} at the current position and returns the logits for the next token. The returned array is
     * reused by the next call; copy it to keep it.
     *
     * @throws IllegalStateException    if the context is full
     * @throws IllegalArgumentException if the token id is outside the vocabulary
     */
    public float[] next(int token) {
        return forward(new int[]{token}, 0, 1, true);
    }

    /**
     * Feeds {@code token}; with {@code logits} false the output layer is skipped (prompt tokens before the last need
     * only their keys and values) and null is returned.
     */
    public float[] next(int token, boolean logits) {
        return forward(new int[]{token}, 0, 1, logits);
    }

    /** Feeds all of {@code tokens} and returns the logits after the last (reused by the next call). */
    public float[] prefill(int[] tokens) {
        return prefill(tokens, MAX_BATCH);
    }

    /** {@link #prefill(int[])} in chunks of {@code batch} tokens (at most {@value #MAX_BATCH}). */
    float[] prefill(int[] tokens, int batch) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("nothing to feed");
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch must be 1.." + MAX_BATCH);
        }
        float[] out = null;
        for (int off = 0; off < tokens.length; off += batch) {
            int n = Math.min(batch, tokens.length - off);
            out = forward(tokens, off, n, off + n == tokens.length);
        }
        return out;
    }

    private float[] forward(int[] tokens, int off, int n, boolean wantLogits) {
        for (int t = 0; t < n; t++) {
            int token = tokens[off + t];
            if (token < 0 || token >= c.vocabulary()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + c.vocabulary());
            }
        }
        if (position + n > capacity) {
            throw new IllegalStateException("the context of " + capacity + " tokens is full");
        }
        if (position + n > allocated) {
            grow(Math.min(capacity, Math.max(allocated * 2, position + n)));
        }
        WorkerPool pool = model.pool();
        for (int t = 0; t < n; t++) {
            model.tokenEmbedding().row(tokens[off + t], x[t]);
            if (c.embeddingScale() != 1f) {
                scale(x[t], c.embeddingScale());
            }
        }
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        int hd = c.headDim();
        int ff = c.feedForward();
        for (int l = 0; l < c.layers(); l++) {
            Model.Layer w = model.layer(l);
            for (int t = 0; t < n; t++) {
                rmsNorm(xb[t], x[t], w.attnNorm(), c.rmsEps());
            }
            if (w.wqkv() != null) {
                Matrix m = w.wqkv();
                prepare(xb, xb[0].length, n, m);
                pool.run(m.rows(), 4, (a, b) -> m.multiply(input, n, qkv, a, b));
                for (int t = 0; t < n; t++) {
                    if (w.bqkv() != null) {
                        add(qkv[t], w.bqkv());
                    }
                    System.arraycopy(qkv[t], 0, q[t], 0, qDim);
                    System.arraycopy(qkv[t], qDim, k[t], 0, kvDim);
                    System.arraycopy(qkv[t], qDim + kvDim, v[t], 0, kvDim);
                }
            } else {
                Matrix mq = w.wq();
                Matrix mk = w.wk();
                Matrix mv = w.wv();
                prepare(xb, xb[0].length, n, mq, mk, mv);
                pool.run(qDim + 2 * kvDim, 4, (a, b) -> {
                    int qa = Math.min(a, qDim), qb = Math.min(b, qDim);
                    if (qa < qb) {
                        mq.multiply(input, n, q, qa, qb);
                    }
                    int ka = Math.clamp(a - qDim, 0, kvDim), kb = Math.clamp(b - qDim, 0, kvDim);
                    if (ka < kb) {
                        mk.multiply(input, n, k, ka, kb);
                    }
                    int va = Math.clamp(a - qDim - kvDim, 0, kvDim), vb = Math.clamp(b - qDim - kvDim, 0, kvDim);
                    if (va < vb) {
                        mv.multiply(input, n, v, va, vb);
                    }
                });
            }
            boolean sliding = c.sliding(l);
            float base = sliding ? c.ropeBaseSliding() : c.ropeBase();
            float freqScale = sliding ? c.ropeScaleSliding() : c.ropeScale();
            for (int t = 0; t < n; t++) {
                if (w.bq() != null) {
                    add(q[t], w.bq());
                }
                if (w.bk() != null) {
                    add(k[t], w.bk());
                }
                if (w.bv() != null) {
                    add(v[t], w.bv());
                }
                if (w.qNorm() != null) {
                    for (int h = 0; h < c.heads(); h++) {
                        rmsNorm(q[t], h * hd, w.qNorm(), hd, c.rmsEps());
                    }
                }
                if (w.kNorm() != null) {
                    for (int h = 0; h < c.kvHeads(); h++) {
                        rmsNorm(k[t], h * hd, w.kNorm(), hd, c.rmsEps());
                    }
                }
                int pos = position + t;
                Rope.apply(q[t], c.heads(), hd, c.ropeDims(), pos, base, freqScale, c.ropeAttnFactor(), ropeFactors, c.ropeNeox());
                Rope.apply(k[t], c.kvHeads(), hd, c.ropeDims(), pos, base, freqScale, c.ropeAttnFactor(), ropeFactors, c.ropeNeox());
                keys[l].put(pos, k[t]);
                values[l].put(pos, v[t]);
            }
            KvCache kc = keys[l];
            KvCache vc = values[l];
            int group = c.heads() / c.kvHeads();
            pool.run(c.heads(), (ha, hb) -> {
                for (int h = ha; h < hb; h++) {
                    for (int t = 0; t < n; t++) {
                        int pos = position + t;
                        int first = sliding ? Math.max(0, pos - c.slidingWindow() + 1) : 0;
                        attend(h, h / group, first, pos, q[t], att[t], kc, vc);
                    }
                }
            });
            Matrix wo = w.wo();
            prepare(att, qDim, n, wo);
            pool.run(wo.rows(), 4, (a, b) -> wo.multiply(input, n, proj, a, b));
            for (int t = 0; t < n; t++) {
                if (w.bo() != null) {
                    add(proj[t], w.bo());
                }
                if (w.attnPostNorm() != null) {
                    rmsNorm(proj[t], proj[t], w.attnPostNorm(), c.rmsEps());
                }
                add(x[t], proj[t]);
                rmsNorm(xb[t], x[t], w.ffnNorm(), c.rmsEps());
            }
            if (w.gate() == null) {
                // Fused gate and up (Phi-3): the first half is the gate, the second the up projection.
                Matrix up = w.up();
                prepare(xb, xb[0].length, n, up);
                pool.run(up.rows(), 4, (a, b) -> up.multiply(input, n, hidden, a, b));
                for (int t = 0; t < n; t++) {
                    for (int i = 0; i < ff; i++) {
                        hidden2[t][i] = silu(hidden[t][i]) * hidden[t][ff + i];
                    }
                }
            } else {
                Matrix gate = w.gate();
                Matrix up = w.up();
                prepare(xb, xb[0].length, n, gate, up);
                pool.run(2 * ff, 8, (a, b) -> {
                    int ga = Math.min(a, ff), gb = Math.min(b, ff);
                    if (ga < gb) {
                        gate.multiply(input, n, hidden, ga, gb);
                    }
                    int ua = Math.clamp(a - ff, 0, ff), ub = Math.clamp(b - ff, 0, ff);
                    if (ua < ub) {
                        up.multiply(input, n, hidden2, ua, ub);
                    }
                });
                for (int t = 0; t < n; t++) {
                    float[] g = hidden[t];
                    float[] u = hidden2[t];
                    if (c.gelu()) {
                        for (int i = 0; i < ff; i++) {
                            u[i] *= gelu(g[i]);
                        }
                    } else {
                        for (int i = 0; i < ff; i++) {
                            u[i] *= silu(g[i]);
                        }
                    }
                }
            }
            Matrix down = w.down();
            prepare(hidden2, ff, n, down);
            pool.run(down.rows(), 4, (a, b) -> down.multiply(input, n, proj, a, b));
            for (int t = 0; t < n; t++) {
                if (w.ffnPostNorm() != null) {
                    rmsNorm(proj[t], proj[t], w.ffnPostNorm(), c.rmsEps());
                }
                add(x[t], proj[t]);
            }
        }
        position += n;
        if (!wantLogits) {
            return null;
        }
        int last = n - 1;
        rmsNorm(xb[last], x[last], model.outputNorm(), c.rmsEps());
        Matrix out = model.output();
        input[0].set(xb[last], xb[last].length).prepare(out.type());
        float[] lg = this.logits;
        pool.run(out.rows(), 16, (a, b) -> out.multiply(input[0], lg, a, b));
        if (model.outputBias() != null) {
            add(lg, model.outputBias());
        }
        if (c.finalSoftcap() > 0) {
            float cap = c.finalSoftcap();
            for (int i = 0; i < lg.length; i++) {
                lg[i] = (float) (Math.tanh(lg[i] / cap) * cap);
            }
        }
        return lg;
    }

    /** Rounds the first {@code n} rows of {@code xs} for each matrix's weight type, before workers read them. */
    private void prepare(float[][] xs, int length, int n, Matrix... matrices) {
        for (int t = 0; t < n; t++) {
            input[t].set(xs[t], length);
            for (Matrix m : matrices) {
                input[t].prepare(m.type());
            }
        }
    }

    /** Attention of query head {@code h} of one token at {@code pos} over cached positions {@code [first, pos]}. */
    private void attend(int h, int kvHead, int first, int pos, float[] query, float[] out, KvCache kc, KvCache vc) {
        int hd = c.headDim();
        int qOff = h * hd;
        int kOff = kvHead * hd;
        float[] s = scores[h];
        float scale = c.attentionScale();
        float cap = c.attentionSoftcap();
        float max = Float.NEGATIVE_INFINITY;
        for (int p = first; p <= pos; p++) {
            float dot = kc.dot(p, kOff, query, qOff, hd) * scale;
            if (cap > 0) {
                dot = (float) (Math.tanh(dot / cap) * cap);
            }
            s[p] = dot;
            max = Math.max(max, dot);
        }
        double sum = 0;
        for (int p = first; p <= pos; p++) {
            float e = (float) Math.exp(s[p] - max);
            s[p] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        Arrays.fill(out, qOff, qOff + hd, 0f);
        for (int p = first; p <= pos; p++) {
            vc.addScaled(p, kOff, s[p] * inv, out, qOff, hd);
        }
    }

    static void rmsNorm(float[] out, float[] in, float[] weight, float eps) {
        double ss = 0;
        for (float f : in) {
            ss += (double) f * f;
        }
        float scale = (float) (1.0 / Math.sqrt(ss / in.length + eps));
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * scale * weight[i];
        }
    }

    static void rmsNorm(float[] a, int off, float[] weight, int n, float eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) a[off + i] * a[off + i];
        }
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) {
            a[off + i] = a[off + i] * scale * weight[i];
        }
    }

    private static void add(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    private static void scale(float[] a, float s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    /**
     * GELU with the tanh approximation, as ggml's CPU backend computes it in a gated FFN: the input is rounded to F16,
     * the result looked up in an F16 table (so rounded to F16 too), with the tails cut at ±10.
     */
    static float gelu(float x) {
        if (x <= -10f) {
            return 0f;
        }
        if (x >= 10f) {
            return x;
        }
        float h = Float.float16ToFloat(Float.floatToFloat16(x));
        float c = 0.7978845608028654f;
        float g = 0.5f * h * (1.0f + (float) Math.tanh(c * h * (1.0f + 0.044715f * h * h)));
        return Float.float16ToFloat(Float.floatToFloat16(g));
    }
}
