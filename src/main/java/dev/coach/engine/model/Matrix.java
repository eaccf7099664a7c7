package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufTensor;
import dev.coach.engine.tensor.Dequant;
import dev.coach.engine.tensor.DotKernels;
import dev.coach.engine.tensor.Q8_1Dot;

import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight tensor as stored in the file (mapped, never copied): {@code rows} rows of {@code cols} elements,
 * where a row is GGUF's innermost dimension ({@code ne0}). {@code y = W x} takes one dot product per row.
 */
public record Matrix(String name, GgmlType type, int rows, int cols, MemorySegment data) {

    public static Matrix of(GgufTensor t, String file) {
        long[] s = t.shape();
        long cols = s[0];
        long rows = s.length > 1 ? s[1] : 1;
        for (int i = 2; i < s.length; i++) {
            rows *= s[i];
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new GgufException(file + ": tensor '" + t.name() + "' is " + cols + " x " + rows + ", too large to run");
        }
        return new Matrix(t.name(), t.type(), (int) rows, (int) cols, t.data());
    }

    /** {@code out[r] = row r · x} for rows {@code [from, to)}. */
    public void multiply(float[] x, float[] out, int from, int to) {
        DotKernels.matVec(type, data, rows, cols, x, out, from, to);
    }

    /**
     * {@code out[r] = row r · x} for rows {@code [from, to)}, with {@code x} rounded the way llama.cpp rounds activations
     * for this weight type; {@code in.prepare(type())} must have been called.
     */
    void multiply(RoundedInput in, float[] out, int from, int to) {
        if (type == GgmlType.Q4_1 || type == GgmlType.Q5_1) {
            Q8_1Dot.Activation a = in.q81();
            for (int r = from; r < to; r++) {
                out[r] = Q8_1Dot.dot(type, data, (long) r * cols, a, cols);
            }
        } else {
            multiply(in.forType(type), out, from, to);
        }
    }

    /**
     * {@code out[t][r] = row r · x_t} for the first {@code n} inputs and rows {@code [from, to)}. With several inputs
     * each row is decoded once and then multiplied with every input, so the weights are read once per batch.
     */
    void multiply(RoundedInput[] in, int n, float[][] out, int from, int to) {
        if (n == 1) {
            multiply(in[0], out[0], from, to);
            return;
        }
        if (type == GgmlType.Q4_1 || type == GgmlType.Q5_1) {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < n; t++) {
                    out[t][r] = Q8_1Dot.dot(type, data, (long) r * cols, in[t].q81(), cols);
                }
            }
            return;
        }
        float[][] xs = new float[n][];
        for (int t = 0; t < n; t++) {
            xs[t] = in[t].forType(type);
        }
        float[] row = new float[cols];
        for (int r = from; r < to; r++) {
            row(r, row);
            for (int t = 0; t < n; t++) {
                out[t][r] = dot(row, xs[t], cols);
            }
        }
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> F = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

    private static float dot(float[] a, float[] b, int n) {
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = jdk.incubator.vector.FloatVector.fromArray(F, a, i).fma(jdk.incubator.vector.FloatVector.fromArray(F, b, i), acc);
        }
        float sum = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Decodes row {@code r} into {@code out[0 .. cols)}. */
    public void row(int r, float[] out) {
        Dequant.row(type, data, (long) r * cols, cols, out, 0);
    }

    /** The whole tensor as floats (for norms and biases, which are small). */
    public float[] toFloats() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        Dequant.row(type, data, 0, out.length, out, 0);
        return out;
    }

    public long bytes() {
        return data.byteSize();
    }
}
