package dev.coach.engine.model;

import java.util.Arrays;

/**
 * One decoding stream over a {@link Model}: the KV cache, the current position and scratch buffers. {@link #next}
 * feeds one token and returns the logits for the token after it. The cache grows as positions are used, up to the
 * context length given when the session was made. Not thread-safe.
 */
public final class Session {
    private final Model model;
    private final ModelConfig c;
    private final int capacity;
    private final float[] ropeFactors;
    private final float[][] keys;
    private final float[][] values;
    private int allocated;
    private int position;

    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] qkv;
    private final float[] att;
    private final float[] proj;
    private final float[] hidden;
    private final float[] hidden2;
    private final float[] logits;
    private final float[][] scores;
    private final RoundedInput input = new RoundedInput();

    Session(Model model, int capacity, float[] ropeFactors) {
        this.model = model;
        this.c = model.config();
        this.capacity = capacity;
        this.ropeFactors = ropeFactors;
        this.keys = new float[c.layers()][];
        this.values = new float[c.layers()][];
        int e = c.embedding();
        x = new float[e];
        xb = new float[e];
        q = new float[c.qDim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        qkv = new float[c.qDim() + 2 * c.kvDim()];
        att = new float[c.qDim()];
        proj = new float[e];
        boolean fused = model.layer(0).gate() == null;
        hidden = new float[fused ? 2 * c.feedForward() : c.feedForward()];
        hidden2 = new float[c.feedForward()];
        logits = new float[c.vocabulary()];
        scores = new float[c.heads()][];
        grow(Math.min(capacity, 256));
    }

    public int position() {
        return position;
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets positions from {@code keep} on, so the next token is fed at position {@code keep}. */
    public void rewind(int keep) {
        if (keep < 0 || keep > position) {
            throw new IllegalArgumentException("cannot rewind to " + keep + " from position " + position);
        }
        position = keep;
    }

    private void grow(int positions) {
        int kv = c.kvDim();
        for (int l = 0; l < c.layers(); l++) {
            keys[l] = keys[l] == null ? new float[positions * kv] : Arrays.copyOf(keys[l], positions * kv);
            values[l] = values[l] == null ? new float[positions * kv] : Arrays.copyOf(values[l], positions * kv);
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
        return next(token, true);
    }

    /**
     * Feeds {@code token}; with {@code logits} false the output layer is skipped (prompt tokens before the last need
     * only their keys and values) and null is returned.
     */
    public float[] next(int token, boolean logits) {
        if (token < 0 || token >= c.vocabulary()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + c.vocabulary());
        }
        if (position >= capacity) {
            throw new IllegalStateException("the context of " + capacity + " tokens is full");
        }
        if (position >= allocated) {
            grow(Math.min(capacity, Math.max(allocated * 2, position + 1)));
        }
        WorkerPool pool = model.pool();
        model.tokenEmbedding().row(token, x);
        if (c.embeddingScale() != 1f) {
            scale(x, c.embeddingScale());
        }
        int kvDim = c.kvDim();
        int qDim = c.qDim();
        int hd = c.headDim();
        for (int l = 0; l < c.layers(); l++) {
            Model.Layer w = model.layer(l);
            rmsNorm(xb, x, w.attnNorm(), c.rmsEps());
            if (w.wqkv() != null) {
                Matrix m = w.wqkv();
                input.set(xb, xb.length).prepare(m.type());
                pool.run(m.rows(), 4, (a, b) -> m.multiply(input, qkv, a, b));
                if (w.bqkv() != null) {
                    add(qkv, w.bqkv());
                }
                System.arraycopy(qkv, 0, q, 0, qDim);
                System.arraycopy(qkv, qDim, k, 0, kvDim);
                System.arraycopy(qkv, qDim + kvDim, v, 0, kvDim);
            } else {
                Matrix mq = w.wq();
                Matrix mk = w.wk();
                Matrix mv = w.wv();
                input.set(xb, xb.length).prepare(mq.type()).prepare(mk.type()).prepare(mv.type());
                int total = qDim + 2 * kvDim;
                pool.run(total, 4, (a, b) -> {
                    int qa = Math.min(a, qDim), qb = Math.min(b, qDim);
                    if (qa < qb) {
                        mq.multiply(input, q, qa, qb);
                    }
                    int ka = Math.clamp(a - qDim, 0, kvDim), kb = Math.clamp(b - qDim, 0, kvDim);
                    if (ka < kb) {
                        mk.multiply(input, k, ka, kb);
                    }
                    int va = Math.clamp(a - qDim - kvDim, 0, kvDim), vb = Math.clamp(b - qDim - kvDim, 0, kvDim);
                    if (va < vb) {
                        mv.multiply(input, v, va, vb);
                    }
                });
            }
            if (w.bq() != null) {
                add(q, w.bq());
            }
            if (w.bk() != null) {
                add(k, w.bk());
            }
            if (w.bv() != null) {
                add(v, w.bv());
            }
            if (w.qNorm() != null) {
                for (int h = 0; h < c.heads(); h++) {
                    rmsNorm(q, h * hd, w.qNorm(), hd, c.rmsEps());
                }
            }
            if (w.kNorm() != null) {
                for (int h = 0; h < c.kvHeads(); h++) {
                    rmsNorm(k, h * hd, w.kNorm(), hd, c.rmsEps());
                }
            }
            boolean sliding = c.sliding(l);
            float base = sliding ? c.ropeBaseSliding() : c.ropeBase();
            float freqScale = sliding ? c.ropeScaleSliding() : c.ropeScale();
            Rope.apply(q, c.heads(), hd, c.ropeDims(), position, base, freqScale, c.ropeAttnFactor(), ropeFactors, c.ropeNeox());
            Rope.apply(k, c.kvHeads(), hd, c.ropeDims(), position, base, freqScale, c.ropeAttnFactor(), ropeFactors, c.ropeNeox());
            System.arraycopy(k, 0, keys[l], position * kvDim, kvDim);
            System.arraycopy(v, 0, values[l], position * kvDim, kvDim);

            int first = sliding ? Math.max(0, position - c.slidingWindow() + 1) : 0;
            float[] kc = keys[l];
            float[] vc = values[l];
            int group = c.heads() / c.kvHeads();
            pool.run(c.heads(), (ha, hb) -> {
                for (int h = ha; h < hb; h++) {
                    attend(h, h / group, first, kc, vc);
                }
            });
            Matrix wo = w.wo();
            input.set(att, att.length).prepare(wo.type());
            pool.run(wo.rows(), 4, (a, b) -> wo.multiply(input, proj, a, b));
            if (w.bo() != null) {
                add(proj, w.bo());
            }
            if (w.attnPostNorm() != null) {
                rmsNorm(proj, proj, w.attnPostNorm(), c.rmsEps());
            }
            add(x, proj);

            rmsNorm(xb, x, w.ffnNorm(), c.rmsEps());
            int ff = c.feedForward();
            if (w.gate() == null) {
                // Fused gate and up (Phi-3): the first half is the gate, the second the up projection.
                Matrix up = w.up();
                input.set(xb, xb.length).prepare(up.type());
                pool.run(up.rows(), 4, (a, b) -> up.multiply(input, hidden, a, b));
                for (int i = 0; i < ff; i++) {
                    hidden2[i] = silu(hidden[i]) * hidden[ff + i];
                }
            } else {
                Matrix gate = w.gate();
                Matrix up = w.up();
                input.set(xb, xb.length).prepare(gate.type()).prepare(up.type());
                pool.run(2 * ff, 8, (a, b) -> {
                    int ga = Math.min(a, ff), gb = Math.min(b, ff);
                    if (ga < gb) {
                        gate.multiply(input, hidden, ga, gb);
                    }
                    int ua = Math.clamp(a - ff, 0, ff), ub = Math.clamp(b - ff, 0, ff);
                    if (ua < ub) {
                        up.multiply(input, hidden2, ua, ub);
                    }
                });
                if (c.gelu()) {
                    for (int i = 0; i < ff; i++) {
                        hidden2[i] *= gelu(hidden[i]);
                    }
                } else {
                    for (int i = 0; i < ff; i++) {
                        hidden2[i] *= silu(hidden[i]);
                    }
                }
            }
            Matrix down = w.down();
            input.set(hidden2, ff).prepare(down.type());
            pool.run(down.rows(), 4, (a, b) -> down.multiply(input, proj, a, b));
            if (w.ffnPostNorm() != null) {
                rmsNorm(proj, proj, w.ffnPostNorm(), c.rmsEps());
            }
            add(x, proj);
        }
        if (!logits) {
            position++;
            return null;
        }
        rmsNorm(xb, x, model.outputNorm(), c.rmsEps());
        Matrix out = model.output();
        input.set(xb, xb.length).prepare(out.type());
        float[] lg = this.logits;
        pool.run(out.rows(), 16, (a, b) -> out.multiply(input, lg, a, b));
        if (model.outputBias() != null) {
            add(this.logits, model.outputBias());
        }
        if (c.finalSoftcap() > 0) {
            float cap = c.finalSoftcap();
            for (int i = 0; i < this.logits.length; i++) {
                this.logits[i] = (float) (Math.tanh(this.logits[i] / cap) * cap);
            }
        }
        position++;
        return this.logits;
    }

    /** Attention of query head {@code h} over cached positions {@code [first, position]}, into {@code att}. */
    private void attend(int h, int kvHead, int first, float[] kc, float[] vc) {
        int hd = c.headDim();
        int kvDim = c.kvDim();
        int qOff = h * hd;
        int kOff = kvHead * hd;
        float[] s = scores[h];
        float scale = c.attentionScale();
        float cap = c.attentionSoftcap();
        float max = Float.NEGATIVE_INFINITY;
        for (int p = first; p <= position; p++) {
            float dot = 0f;
            int base = p * kvDim + kOff;
            for (int i = 0; i < hd; i++) {
                dot += q[qOff + i] * kc[base + i];
            }
            dot *= scale;
            if (cap > 0) {
                dot = (float) (Math.tanh(dot / cap) * cap);
            }
            s[p] = dot;
            max = Math.max(max, dot);
        }
        double sum = 0;
        for (int p = first; p <= position; p++) {
            float e = (float) Math.exp(s[p] - max);
            s[p] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        Arrays.fill(att, qOff, qOff + hd, 0f);
        for (int p = first; p <= position; p++) {
            float a = s[p] * inv;
            int base = p * kvDim + kOff;
            for (int i = 0; i < hd; i++) {
                att[qOff + i] += a * vc[base + i];
            }
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
