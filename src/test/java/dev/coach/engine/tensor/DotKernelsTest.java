package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DotKernels#dot} against a double-precision sum of the scalar reference {@link Dequant#row} times x, on random
 * blocks, plus hand-worked exact cases and argument checks.
 */
class DotKernelsTest {

    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE = 1e-3;
    /** Leading bytes before element 0, so every load is unaligned. */
    private static final int PAD = 3;

    static Stream<GgmlType> blockTypes() {
        return Stream.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K,
                GgmlType.Q5_K, GgmlType.Q6_K);
    }

    static Stream<GgmlType> elementTypes() {
        return Stream.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);
    }

    // ---- random data ----

    /** A small finite f16 (|v| <= 0.05), as raw bits. */
    private static int smallF16(Random r) {
        return Float.floatToFloat16((2 * r.nextFloat() - 1) * 0.05f) & 0xFFFF;
    }

    /** Byte offsets, inside a block, of the f16 scale / min fields of each block type. */
    private static int[] scaleFields(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** {@code elements} random weights of {@code type} after PAD junk bytes; returns the segment starting at element 0. */
    private static MemorySegment randomTensor(GgmlType type, long elements, Random r) {
        int size = (int) type.bytesFor(elements);
        Bytes b = new Bytes(PAD + size);
        r.nextBytes(b.a);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < elements; i++) {
                    b.f32(PAD + 4 * i, (2 * r.nextFloat() - 1) * 4);
                }
            }
            case F16 -> {
                // any finite f16, including zeros and subnormals: exponent 0..30
                for (int i = 0; i < elements; i++) {
                    int bits = r.nextInt(0x10000);
                    int exponent = r.nextInt(31);
                    b.u16(PAD + 2 * i, (bits & 0x83FF) | (exponent << 10));
                }
            }
            case BF16 -> {
                for (int i = 0; i < elements; i++) {
                    float v = (2 * r.nextFloat() - 1) * (r.nextInt(4) == 0 ? 1e-3f : 8f);
                    b.u16(PAD + 2 * i, Float.floatToRawIntBits(v) >>> 16);
                }
            }
            default -> {
                // random bytes are valid codes; only the f16 scales are made small and finite
                int blocks = (int) (elements / type.blockSize());
                for (int k = 0; k < blocks; k++) {
                    for (int field : scaleFields(type)) {
                        b.u16(PAD + k * type.typeSize() + field, smallF16(r));
                    }
                }
            }
        }
        return b.segment().asSlice(PAD);
    }

    private static float[] randomX(int length, Random r) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        return x;
    }

    private static double reference(GgmlType type, MemorySegment row, long first, float[] x, int xOffset, int n) {
        float[] w = new float[n];
        Dequant.row(type, row, first, n, w, 0);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) w[i] * x[xOffset + i];
        }
        return sum;
    }

    private static void check(GgmlType type, MemorySegment row, long first, float[] x, int xOffset, int n) {
        double expected = reference(type, row, first, x, xOffset, n);
        float actual = DotKernels.dot(type, row, first, x, xOffset, n);
        double tolerance = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
        assertEquals(expected, actual, tolerance,
                () -> type + " first " + first + " xOffset " + xOffset + " n " + n);
    }

    // ---- random comparisons ----

    @ParameterizedTest
    @MethodSource("blockTypes")
    void blockTypesMatchReference(GgmlType type) {
        Random r = new Random(type.ordinal() * 7919L + 1);
        int bs = type.blockSize();
        for (int blocks : new int[] {1, 2, 3, 37}) {
            for (int firstBlock : new int[] {0, 1, 5}) {
                for (int xOffset : new int[] {0, 1, 13}) {
                    long total = (long) (firstBlock + blocks + 1) * bs; // one spare block after the range
                    MemorySegment row = randomTensor(type, total, r);
                    float[] x = randomX(xOffset + blocks * bs + 4, r);
                    check(type, row, (long) firstBlock * bs, x, xOffset, blocks * bs);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("elementTypes")
    void elementTypesMatchReferenceAtOddLengths(GgmlType type) {
        Random r = new Random(type.ordinal() * 104729L + 3);
        for (int n : new int[] {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 1000, 1024, 4099}) {
            for (int first : new int[] {0, 1, 3, 17}) {
                for (int xOffset : new int[] {0, 1, 11}) {
                    MemorySegment row = randomTensor(type, first + n + 5, r);
                    float[] x = randomX(xOffset + n + 2, r);
                    check(type, row, first, x, xOffset, n);
                }
            }
        }
    }

    @Test
    void wholeTensorInOneCallEqualsSumOfBlockCalls() {
        Random r = new Random(42);
        for (GgmlType type : GgmlType.supportedTypes()) {
            int bs = type.blockSize() == 1 ? 32 : type.blockSize();
            int n = 6 * bs;
            MemorySegment row = randomTensor(type, n, r);
            float[] x = randomX(n, r);
            double parts = 0;
            for (int k = 0; k < 6; k++) {
                parts += DotKernels.dot(type, row, (long) k * bs, x, k * bs, bs);
            }
            double whole = DotKernels.dot(type, row, 0, x, 0, n);
            assertEquals(parts, whole, Math.max(RELATIVE * Math.abs(parts), ABSOLUTE), type.toString());
            check(type, row, 0, x, 0, n);
        }
    }

    // ---- exact hand-worked values ----

    @Test
    void q8_0Exact() {
        // two blocks: d = 0.5, q = e - 16; then d = 2, q = 1 for all
        Bytes b = new Bytes(68).f16(0, 0.5f).f16(34, 2f);
        for (int e = 0; e < 32; e++) {
            b.u8(2 + e, e - 16);
            b.u8(36 + e, 1);
        }
        float[] ones = new float[64];
        java.util.Arrays.fill(ones, 1f);
        // 0.5 * sum(e - 16) = 0.5 * (496 - 512) = -8
        assertEquals(-8f, DotKernels.dot(GgmlType.Q8_0, b.segment(), 0, ones, 0, 32));
        // second block alone: 2 * 32 = 64; both: 56
        assertEquals(64f, DotKernels.dot(GgmlType.Q8_0, b.segment(), 32, ones, 32, 32));
        assertEquals(56f, DotKernels.dot(GgmlType.Q8_0, b.segment(), 0, ones, 0, 64));
        // x = element index: 0.5 * sum(e * (e - 16)) = 0.5 * (10416 - 7936) = 1240
        float[] idx = new float[32];
        for (int e = 0; e < 32; e++) {
            idx[e] = e;
        }
        assertEquals(1240f, DotKernels.dot(GgmlType.Q8_0, b.segment(), 0, idx, 0, 32));
    }

    @Test
    void q4_0Exact() {
        // d = 1; qs[j] = low nibble j, high nibble 15 - j. Elements: j - 8 (j < 16), then (15 - j) - 8.
        Bytes b = new Bytes(18).f16(0, 1f);
        for (int j = 0; j < 16; j++) {
            b.u8(2 + j, j | ((15 - j) << 4));
        }
        // x = 1 on the low half only: sum(j - 8) = 120 - 128 = -8
        float[] x = new float[32];
        for (int e = 0; e < 16; e++) {
            x[e] = 1;
        }
        assertEquals(-8f, DotKernels.dot(GgmlType.Q4_0, b.segment(), 0, x, 0, 32));
        // x = 1 on the high half only, element 16 + j is 7 - j: sum = 112 - 120 = -8; with x = j instead:
        // sum(j * (7 - j)) = 7 * 120 - 1240 = -400
        float[] y = new float[32];
        for (int j = 0; j < 16; j++) {
            y[16 + j] = j;
        }
        assertEquals(-400f, DotKernels.dot(GgmlType.Q4_0, b.segment(), 0, y, 0, 32));
    }

    @Test
    void f32ExactWithTail() {
        // 37 floats (not a multiple of any vector length) w_i = i, x = 1 at an offset: sum 0..36 = 666
        Bytes b = new Bytes(1 + 4 * 37);
        for (int i = 0; i < 37; i++) {
            b.f32(1 + 4 * i, i);
        }
        float[] x = new float[40];
        java.util.Arrays.fill(x, 1f);
        MemorySegment row = b.segment().asSlice(1);
        assertEquals(666f, DotKernels.dot(GgmlType.F32, row, 0, x, 3, 37));
        assertEquals(666f - 0 - 1 - 2, DotKernels.dot(GgmlType.F32, row, 3, x, 0, 34));
        assertEquals(36f, DotKernels.dot(GgmlType.F32, row, 36, x, 0, 1));
    }

    @Test
    void f16SpecialValuesInVectorAndTail() {
        // 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24, 0x8000 = -0, 0x7C00 = +inf, 0x7E00 = NaN
        for (int n : new int[] {1, 5, 16, 33}) {
            Bytes b = new Bytes(2 * n);
            for (int i = 0; i < n; i++) {
                b.u16(2 * i, i % 2 == 0 ? 0x3C00 : 0xC000);
            }
            float[] x = new float[n];
            java.util.Arrays.fill(x, 1f);
            float expected = n % 2 == 0 ? -n / 2f : (n + 1) / 2f - 2 * (n / 2);
            assertEquals(expected, DotKernels.dot(GgmlType.F16, b.segment(), 0, x, 0, n), "n " + n);

            b.u16(0, 0x0001);
            float[] only0 = new float[n];
            only0[0] = 0x1p24f;
            assertEquals(1f, DotKernels.dot(GgmlType.F16, b.segment(), 0, only0, 0, n), "subnormal, n " + n);

            b.u16(2 * (n - 1), 0x7C00);
            assertEquals(Float.POSITIVE_INFINITY, DotKernels.dot(GgmlType.F16, b.segment(), 0, x, 0, n), "inf, n " + n);
            b.u16(2 * (n - 1), 0x7E00);
            assertTrue(Float.isNaN(DotKernels.dot(GgmlType.F16, b.segment(), 0, x, 0, n)), "NaN, n " + n);
        }
    }

    @Test
    void bf16Exact() {
        // 0x3F80 = 1, 0x4049 = 3.140625, 0xC000 = -2; 19 elements cycling through them, x = 1
        Bytes b = new Bytes(2 * 19);
        int[] codes = {0x3F80, 0x4049, 0xC000};
        float[] values = {1f, 3.140625f, -2f};
        float expected = 0;
        for (int i = 0; i < 19; i++) {
            b.u16(2 * i, codes[i % 3]);
            expected += values[i % 3];
        }
        float[] x = new float[19];
        java.util.Arrays.fill(x, 1f);
        assertEquals(expected, DotKernels.dot(GgmlType.BF16, b.segment(), 0, x, 0, 19), 1e-5f);
    }

    // ---- argument checks ----

    @Test
    void rejectsBadArguments() {
        MemorySegment q4 = MemorySegment.ofArray(new byte[18 * 2]);
        float[] x = new float[64];
        assertThrows(IllegalArgumentException.class, () -> DotKernels.dot(GgmlType.Q4_0, q4, 1, x, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> DotKernels.dot(GgmlType.Q4_0, q4, 0, x, 0, 31));
        assertThrows(IllegalArgumentException.class, () -> DotKernels.dot(GgmlType.F32, q4, -1, x, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> DotKernels.dot(GgmlType.Q4_0, q4, 32, x, 0, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> DotKernels.dot(GgmlType.Q4_0, q4, 0, x, 40, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> DotKernels.dot(GgmlType.F32, q4, 0, x, 0, 10));
        assertThrows(UnsupportedOperationException.class, () -> DotKernels.dot(GgmlType.Q8_1, q4, 0, x, 0, 0));
        assertEquals(0f, DotKernels.dot(GgmlType.Q6_K, q4, 0, x, 0, 0));
    }
}
