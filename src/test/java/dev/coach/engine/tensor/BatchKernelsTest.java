package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchKernelsTest {

    /** Four inputs at once give each input's own dot product (up to float summation order), at every row offset. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K"})
    void fourInputsMatchFourSingleDotProducts(GgmlType type) {
        assertTrue(BatchKernels.supports(type));
        SplittableRandom rnd = new SplittableRandom(type.ordinal());
        int cols = type == GgmlType.Q4_K ? 256 * 5 : 32 * 37;
        int rows = 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate((long) rows * cols / 32 * type.typeSize());
            for (long i = 0; i < w.byteSize(); i++) {
                w.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
            }
            int blockSize = type.blockSize();
            for (long b = 0; b < (long) rows * cols / blockSize; b++) {
                // scales of both signs and very different sizes, never NaN or infinite (Q4_K: d and dmin)
                for (int k = 0; k < (type == GgmlType.Q4_K ? 2 : 1); k++) {
                    float d = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-4, 1)));
                    w.set(Dequant.SHORT_LE, b * type.typeSize() + 2L * k, Float.floatToFloat16(d));
                }
            }
            float[][] x = new float[4][cols];
            for (float[] v : x) {
                for (int i = 0; i < cols; i++) {
                    v[i] = (float) rnd.nextGaussian();
                }
            }
            float[] out = new float[4];
            for (int r = 0; r < rows; r++) {
                long first = (long) r * cols;
                BatchKernels.dot4(type, w, first, cols, x[0], x[1], x[2], x[3], out);
                float[] row = new float[cols];
                Dequant.row(type, w, first, cols, row, 0);
                for (int k = 0; k < 4; k++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int i = 0; i < cols; i++) {
                        exact += (double) row[i] * x[k][i];
                        magnitude += Math.abs((double) row[i] * x[k][i]);
                    }
                    assertEquals(exact, out[k], 1e-5 * magnitude + 1e-30, type + " row " + r + " input " + k);
                    assertEquals(DotKernels.dot(type, w, first, x[k], 0, cols), out[k], 1e-5 * magnitude + 1e-30);
                }
            }
        }
    }
}
