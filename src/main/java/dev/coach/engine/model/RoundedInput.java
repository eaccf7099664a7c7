package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.tensor.ActivationQuant;
import dev.coach.engine.tensor.ActivationQuant.DotType;
import dev.coach.engine.tensor.Q8_1Dot;

/**
 * One input vector of a matrix product, rounded on demand to each weight type's activation format (see
 * {@link ActivationQuant}) and kept until the next {@link #set}, so Q, K and V (or gate and up) round it once.
 */
final class RoundedInput {
    private final float[][] rounded = new float[DotType.values().length][];
    private final boolean[] ready = new boolean[DotType.values().length];
    private float[] source;
    private int n;

    RoundedInput set(float[] x, int length) {
        source = x;
        n = length;
        java.util.Arrays.fill(ready, false);
        q81 = null;
        return this;
    }

    private Q8_1Dot.Activation q81;

    /** Prepares the input for {@code weights} (call before handing the input to worker threads); returns this. */
    RoundedInput prepare(GgmlType weights) {
        if (weights == GgmlType.Q4_1 || weights == GgmlType.Q5_1) {
            if (q81 == null) {
                q81 = Q8_1Dot.quantize(source, n);
            }
        } else {
            forType(weights);
        }
        return this;
    }

    /** The input in Q8_1 form; {@link #prepare} must have been called for a Q4_1 or Q5_1 matrix. */
    Q8_1Dot.Activation q81() {
        return q81;
    }

    float[] forType(GgmlType weights) {
        DotType t = ActivationQuant.dotType(weights);
        if (t == DotType.F32) {
            return source;
        }
        int i = t.ordinal();
        if (!ready[i]) {
            if (rounded[i] == null || rounded[i].length < n) {
                rounded[i] = new float[n];
            }
            ActivationQuant.round(t, source, n, rounded[i]);
            ready[i] = true;
        }
        return rounded[i];
    }
}
