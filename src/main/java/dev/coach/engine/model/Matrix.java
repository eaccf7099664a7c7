package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;
import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufTensor;
import dev.coach.engine.tensor.Dequant;
import dev.coach.engine.tensor.BatchKernels;
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
        // Row by row, every input against the same row while its bytes are in the L1 cache; four at a time where a
        // batch kernel shares the decoding of each block between them.
        boolean batch = BatchKernels.supports(type);
        float[] four = new float[4];
        for (int r = from; r < to; r++) {
            long first = (long) r * cols;
            int t = 0;
            if (batch) {
                for (; t + 4 <= n; t += 4) {
                    BatchKernels.dot4(type, data, first, cols, xs[t], xs[t + 1], xs[t + 2], xs[t + 3], four);
                    out[t][r] = four[0];
                    out[t + 1][r] = four[1];
                    out[t + 2][r] = four[2];
                    out[t + 3][r] = four[3];
                }
            }
            for (; t < n; t++) {
                out[t][r] = DotKernels.dot(type, data, first, xs[t], 0, cols);
            }
        }
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
