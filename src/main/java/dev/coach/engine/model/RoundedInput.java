package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.tensor.ActivationQuant;
import dev.coach.engine.tensor.ActivationQuant.DotType;

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
        return this;
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
