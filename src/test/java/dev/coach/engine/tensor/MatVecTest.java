package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DotKernels#matVec}: row addressing, row ranges, and argument checks. */
class MatVecTest {

    static Stream<GgmlType> types() {
        return GgmlType.supportedTypes().stream();
    }

    /** A random matrix of {@code type} with small finite f16 / f32 values wherever a value could be non-finite. */
    private static MemorySegment randomMatrix(GgmlType type, int rows, int cols, Random r) {
        long elements = (long) rows * cols;
        Bytes b = new Bytes((int) type.bytesFor(elements));
        r.nextBytes(b.a);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < elements; i++) {
                    b.f32(4 * i, 2 * r.nextFloat() - 1);
                }
            }
            case F16 -> {
                for (int i = 0; i < elements; i++) {
                    b.u16(2 * i, Float.floatToFloat16(2 * r.nextFloat() - 1));
                }
            }
            case BF16 -> {
                for (int i = 0; i < elements; i++) {
                    b.u16(2 * i, Float.floatToRawIntBits(2 * r.nextFloat() - 1) >>> 16);
                }
            }
            default -> {
                int[] fields = switch (type) {
                    case Q8_0, Q4_0, Q5_0 -> new int[] {0};
                    case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException(type.toString());
                };
                for (int at = 0; at < b.a.length; at += type.typeSize()) {
                    for (int field : fields) {
                        b.u16(at + field, Float.floatToFloat16((2 * r.nextFloat() - 1) * 0.1f));
                    }
                }
            }
        }
        return b.segment();
    }

    private static int colsFor(GgmlType type) {
        // three blocks for block types; an odd length (vector body plus scalar tail) for the element types
        return type.blockSize() == 1 ? 77 : 3 * type.blockSize();
    }

    @ParameterizedTest
    @MethodSource("types")
    void eachOutputIsTheDotProductOfItsRow(GgmlType type) {
        Random r = new Random(type.ordinal());
        int rows = 5;
        int cols = colsFor(type);
        MemorySegment w = randomMatrix(type, rows, cols, r);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        float[] out = new float[rows];
        DotKernels.matVec(type, w, rows, cols, x, out);
        float[] row = new float[cols];
        for (int i = 0; i < rows; i++) {
            // same kernel as dot() on the row's elements: the same float, bit for bit
            assertEquals(DotKernels.dot(type, w, (long) i * cols, x, 0, cols), out[i], 0f, type + " row " + i);
            // and near the scalar reference (float summation order differs; see QuantDotKernelsTest for tight bounds)
            Dequant.row(type, w, (long) i * cols, cols, row, 0);
            double expected = 0;
            double magnitude = 0;
            for (int k = 0; k < cols; k++) {
                expected += (double) row[k] * x[k];
                magnitude += Math.abs((double) row[k] * x[k]);
            }
            assertEquals(expected, out[i], 1e-5 * magnitude + 1e-6, type + " row " + i + " against Dequant");
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void aRowRangeWritesOnlyItsOwnOutputs(GgmlType type) {
        Random r = new Random(100 + type.ordinal());
        int rows = 9;
        int cols = colsFor(type);
        MemorySegment w = randomMatrix(type, rows, cols, r);
        float[] x = new float[cols];
        Arrays.fill(x, 0.5f);
        float[] all = new float[rows];
        DotKernels.matVec(type, w, rows, cols, x, all);

        float[] part = new float[rows + 2];
        Arrays.fill(part, Float.NaN);
        DotKernels.matVec(type, w, rows, cols, x, part, 3, 7);
        for (int i = 0; i < part.length; i++) {
            if (i >= 3 && i < 7) {
                assertEquals(all[i], part[i], 0f, "row " + i);
            } else {
                assertTrue(Float.isNaN(part[i]), "row " + i + " is outside the range and must be untouched");
            }
        }
        // an empty range touches nothing
        float[] none = new float[rows];
        Arrays.fill(none, Float.NaN);
        DotKernels.matVec(type, w, rows, cols, x, none, 4, 4);
        assertTrue(Float.isNaN(none[4]));
    }

    @Test
    void disjointRangesOnSeveralThreadsGiveTheSingleThreadResult() throws InterruptedException {
        Random r = new Random(7);
        int rows = 64;
        int cols = 512;
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        try (Arena arena = Arena.ofShared()) {
            // off-heap, as a mapped GGUF file would be
            MemorySegment heap = randomMatrix(GgmlType.Q4_K, rows, cols, r);
            MemorySegment w = arena.allocate(heap.byteSize());
            w.copyFrom(heap);
            float[] single = new float[rows];
            DotKernels.matVec(GgmlType.Q4_K, w, rows, cols, x, single);
            float[] split = new float[rows];
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                int first = t * rows / threads.length;
                int end = (t + 1) * rows / threads.length;
                threads[t] = Thread.ofPlatform().start(
                        () -> DotKernels.matVec(GgmlType.Q4_K, w, rows, cols, x, split, first, end));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertArrayEquals(single, split);
        }
    }

    @Test
    void rowsAreAddressedByTheirByteStride() {
        // Q8_0, 2 rows x 64 cols: row 1 starts at byte 2 * 34 = 68. Row 0: d = 1, codes 1; row 1: d = 2, codes -1.
        Bytes b = new Bytes(4 * 34);
        for (int blk = 0; blk < 4; blk++) {
            b.f16(34 * blk, blk < 2 ? 1f : 2f);
            for (int j = 0; j < 32; j++) {
                b.u8(34 * blk + 2 + j, blk < 2 ? 1 : -1);
            }
        }
        float[] x = new float[64];
        Arrays.fill(x, 1f);
        float[] out = new float[2];
        DotKernels.matVec(GgmlType.Q8_0, b.segment(), 2, 64, x, out);
        assertArrayEquals(new float[] {64f, -128f}, out);
    }

    @Test
    void rejectsBadArguments() {
        MemorySegment w = MemorySegment.ofArray(new byte[2 * 144]); // two Q4_K blocks
        float[] x = new float[256];
        float[] out = new float[2];
        // cols not whole blocks
        assertThrows(IllegalArgumentException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 100, x, out));
        // negative sizes, bad ranges
        assertThrows(IllegalArgumentException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, -1, 256, x, out));
        assertThrows(IllegalArgumentException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 256, x, out, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 256, x, out, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 256, x, out, -1, 1));
        // weights too small for the matrix, x too short, out too short
        assertThrows(IndexOutOfBoundsException.class, () -> DotKernels.matVec(GgmlType.Q4_K, w, 3, 256, x, new float[3]));
        assertThrows(IndexOutOfBoundsException.class,
                () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 256, new float[255], out));
        assertThrows(IndexOutOfBoundsException.class,
                () -> DotKernels.matVec(GgmlType.Q4_K, w, 2, 256, x, new float[1]));
        // a type without a kernel
        assertThrows(UnsupportedOperationException.class, () -> DotKernels.matVec(GgmlType.Q2_K, w, 1, 256, x, out));
        // the message says what is wrong
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> DotKernels.matVec(GgmlType.Q4_K, w, 3, 256, x, new float[3]));
        assertTrue(e.getMessage().contains("432") && e.getMessage().contains("288"), e.getMessage());
        // empty matrices are fine
        DotKernels.matVec(GgmlType.Q4_K, w, 0, 256, x, new float[0]);
        DotKernels.matVec(GgmlType.Q4_K, w, 2, 0, x, out);
        assertArrayEquals(new float[] {0f, 0f}, out);
    }
}
