package dev.coach.engine.sample;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Next-token sampler following llama.cpp's default sampler chain:
 * penalties &rarr; top-k &rarr; top-p &rarr; min-p &rarr; temperature &rarr; seeded random draw.
 * With temperature 0 the sampler returns the argmax after penalties (ties &rarr; lowest token id).
 *
 * <p>The caller's logits are never modified; all work happens on a private copy. Not thread-safe:
 * the random generator is stateful so that successive calls yield a deterministic sequence for a
 * given seed.
 */
public final class Sampler {

    /**
     * Slack when comparing the top-p cumulative probability against {@code p}: logits arrive as
     * floats, so a cumulative sum that mathematically equals {@code p} can fall a few ulps short.
     */
    static final double TOP_P_EPSILON = 1e-6;

    private static final int[] NO_TOKENS = new int[0];

    private final SamplerSettings settings;
    private final SplittableRandom random;

    public Sampler(SamplerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = new SplittableRandom(settings.seed());
    }

    public SamplerSettings settings() {
        return settings;
    }

    /** Samples without any token history (penalties have nothing to act on). */
    public int sample(float[] logits) {
        return sample(logits, NO_TOKENS, 0);
    }

    /**
     * Samples the next token id.
     *
     * @param logits       one logit per vocabulary entry; not modified. Must not contain NaN or +Infinity;
     *                     -Infinity marks a token as impossible.
     * @param recentTokens token history in chronological order; only the first {@code recentCount}
     *                     entries are valid, and of those the last {@code repeatLastN} are penalised.
     *                     Ids outside {@code [0, logits.length)} are ignored (as in llama.cpp).
     * @param recentCount  number of valid entries in {@code recentTokens}
     * @return the chosen token id
     */
    public int sample(float[] logits, int[] recentTokens, int recentCount) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(recentTokens, "recentTokens");
        int n = logits.length;
        if (n == 0) {
            throw new IllegalArgumentException("logits must not be empty");
        }
        if (recentCount < 0 || recentCount > recentTokens.length) {
            throw new IllegalArgumentException(
                    "recentCount must be in [0, " + recentTokens.length + "], got " + recentCount);
        }
        double[] vals = new double[n];
        for (int i = 0; i < n; i++) {
            float f = logits[i];
            if (Float.isNaN(f) || f == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit " + i + " is " + f);
            }
            vals[i] = f;
        }

        applyPenalties(vals, recentTokens, recentCount);

        if (settings.temperature() == 0.0) {
            return argmax(vals);
        }

        // Candidate ids sorted by logit descending, ties by lowest id.
        int[] cand;
        int k = settings.topK();
        if (k > 0 && k < n) {
            cand = topKUnsorted(vals, k);
        } else {
            cand = new int[n];
            for (int i = 0; i < n; i++) cand[i] = i;
        }
        sortDescending(cand, vals);
        int count = cand.length;

        double maxLogit = vals[cand[0]];
        if (maxLogit == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("all candidate logits are -Infinity");
        }

        count = topP(cand, count, vals, maxLogit);
        count = minP(cand, count, vals, maxLogit);
        return draw(cand, count, vals, maxLogit);
    }

    // ---------------------------------------------------------------- chain stages

    private void applyPenalties(double[] vals, int[] recent, int recentCount) {
        double repeat = settings.repeatPenalty();
        double presence = settings.presencePenalty();
        double frequency = settings.frequencyPenalty();
        int window = Math.min(settings.repeatLastN(), recentCount);
        if (window == 0 || (repeat == 1.0 && presence == 0.0 && frequency == 0.0)) {
            return;
        }
        int[] toks = Arrays.copyOfRange(recent, recentCount - window, recentCount);
        Arrays.sort(toks);
        int i = 0;
        while (i < toks.length) {
            int tok = toks[i];
            int j = i;
            while (j < toks.length && toks[j] == tok) j++;
            int c = j - i;
            i = j;
            if (tok < 0 || tok >= vals.length) {
                continue;
            }
            double v = vals[tok];
            v = v > 0 ? v / repeat : v * repeat;
            v -= c * frequency + presence;
            vals[tok] = v;
        }
    }

    private static int argmax(double[] vals) {
        int best = 0;
        for (int i = 1; i < vals.length; i++) {
            if (vals[i] > vals[best]) best = i; // strict: ties keep lowest id
        }
        return best;
    }

    /** Keeps the smallest prefix whose cumulative probability reaches p (at least one token). */
    private int topP(int[] cand, int count, double[] vals, double maxLogit) {
        double p = settings.topP();
        if (p >= 1.0 || count <= 1) {
            return count;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) sum += Math.exp(vals[cand[i]] - maxLogit);
        double target = (p - TOP_P_EPSILON) * sum;
        double cum = 0;
        for (int i = 0; i < count; i++) {
            cum += Math.exp(vals[cand[i]] - maxLogit);
            if (cum >= target) {
                return i + 1;
            }
        }
        return count;
    }

    /** Drops tokens with probability below minP * maxProbability, i.e. logit - maxLogit < ln(minP). */
    private int minP(int[] cand, int count, double[] vals, double maxLogit) {
        double mp = settings.minP();
        if (mp <= 0.0 || count <= 1) {
            return count;
        }
        double threshold = Math.log(mp);
        int keep = 1; // the top token always survives
        while (keep < count && vals[cand[keep]] - maxLogit >= threshold) keep++;
        return keep;
    }

    /** Applies temperature and draws from the softmax of the surviving candidates. */
    private int draw(int[] cand, int count, double[] vals, double maxLogit) {
        if (count == 1) {
            return cand[0];
        }
        double invT = 1.0 / settings.temperature();
        double[] w = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            // (l - max) / T <= 0, so exp never overflows even for tiny temperatures.
            double e = Math.exp((vals[cand[i]] - maxLogit) * invT);
            w[i] = e;
            sum += e;
        }
        double u = random.nextDouble() * sum;
        double cum = 0;
        for (int i = 0; i < count; i++) {
            cum += w[i];
            if (u < cum) {
                return cand[i];
            }
        }
        // Rounding fallback: last candidate with non-zero weight.
        for (int i = count - 1; i > 0; i--) {
            if (w[i] > 0) return cand[i];
        }
        return cand[0];
    }

    // ---------------------------------------------------------------- ordering helpers

    /** true if token a ranks before token b: higher logit first, ties broken by lower id. */
    private static boolean before(int a, int b, double[] vals) {
        double va = vals[a], vb = vals[b];
        return va > vb || (va == vb && a < b);
    }

    /** The k best ids (unsorted) via a bounded min-heap whose root is the worst kept token. */
    private static int[] topKUnsorted(double[] vals, int k) {
        int[] heap = new int[k];
        for (int i = 0; i < k; i++) {
            heap[i] = i;
            siftUp(heap, i, vals);
        }
        for (int i = k; i < vals.length; i++) {
            if (before(i, heap[0], vals)) {
                heap[0] = i;
                siftDown(heap, k, vals);
            }
        }
        return heap;
    }

    // heap order: parent is "worse" (ranks after) its children
    private static void siftUp(int[] h, int i, double[] vals) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (before(h[parent], h[i], vals)) {
                int t = h[parent]; h[parent] = h[i]; h[i] = t;
                i = parent;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] h, int size, double[] vals) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && before(h[worst], h[l], vals)) worst = l;
            if (r < size && before(h[worst], h[r], vals)) worst = r;
            if (worst == i) return;
            int t = h[worst]; h[worst] = h[i]; h[i] = t;
            i = worst;
        }
    }

    /** Merge sort of ids by (logit desc, id asc). */
    private static void sortDescending(int[] ids, double[] vals) {
        if (ids.length < 2) return;
        int[] tmp = new int[ids.length];
        mergeSort(ids, tmp, 0, ids.length, vals);
    }

    private static void mergeSort(int[] a, int[] tmp, int lo, int hi, double[] vals) {
        if (hi - lo <= 16) {
            for (int i = lo + 1; i < hi; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= lo && before(x, a[j], vals)) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid, vals);
        mergeSort(a, tmp, mid, hi, vals);
        if (!before(a[mid], a[mid - 1], vals)) return;
        System.arraycopy(a, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, o = lo;
        while (i < mid && j < hi) a[o++] = before(tmp[j], tmp[i], vals) ? tmp[j++] : tmp[i++];
        while (i < mid) a[o++] = tmp[i++];
        while (j < hi) a[o++] = tmp[j++];
    }
}
