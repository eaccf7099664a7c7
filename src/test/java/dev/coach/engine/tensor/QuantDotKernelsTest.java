package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed-byte Vector API kernels of {@link DotKernels#dot} for the block types, against the scalar reference: each
 * weight decoded by {@link Dequant#row}, times x, summed in double.
 *
 * <p>The kernel sums in float, in {@code L} vector lanes (L = the preferred species' float lanes) and several
 * accumulators, and forms some weights with a fused multiply-add; the reference rounds each weight on its own and sums
 * sequentially. So the two agree only up to float rounding, and the tolerance is the usual worst-case bound for
 * float summation: {@code 2 * u * (n / L + 64) * M}, where u = 2^-24 is float's unit roundoff, n / L + 64 bounds the
 * additions in one lane's chain plus the final reduction, and M is the sum over elements of
 * {@code (|w_i| + |o_i|) * |x_i|}, o_i being the element's weight with all its code bits cleared (its offset or min,
 * which a fused multiply-add may combine with the scaled code without an intermediate rounding). Random data would
 * typically land far inside this bound; a wrong bit in any weight lands far outside it.
 */
class QuantDotKernelsTest {

    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final double U = 0x1p-24;

    static Stream<GgmlType> types() {
        return Stream.of(GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
                GgmlType.Q4_0, GgmlType.Q8_0);
    }

    /** How the f16 super-scales of the random blocks are chosen. */
    enum Scales {
        /** |d| in [2^-10, 4], either sign: every block matters about equally. */
        MODERATE,
        /** Any finite f16 at all, either sign: subnormals, zeros and 65504 mixed in one row. */
        ANY_FINITE,
        /** Every scale field is ±65504, the largest f16. */
        LARGEST,
        /** Every scale field is ± a subnormal f16 (2^-24 .. 1023 * 2^-24). */
        SUBNORMAL,
        /** Every scale field is +0 or -0: all weights zero. */
        ZERO
    }

    // ---- block layouts ----

    /** Byte offsets, inside one block, of the f16 scale fields (d, and m or dmin). */
    private static int[] f16Fields(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** Byte range [from, to) of one block holding the element codes (quants), not scales. */
    private static int[] codeBytes(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0 -> new int[] {2, type.typeSize()};
            case Q5_0 -> new int[] {2, 22}; // qh[4] and qs[16]
            case Q4_1, Q5_1 -> new int[] {4, type.typeSize()};
            case Q4_K, Q5_K -> new int[] {16, type.typeSize()}; // after d, dmin and the 12 packed scale bytes
            case Q6_K -> new int[] {0, 192}; // ql[128] and qh[64]; the int8 scales and d follow
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    // ---- data ----

    private static int f16Bits(Scales scales, Random r) {
        int sign = r.nextBoolean() ? 0x8000 : 0;
        return switch (scales) {
            case MODERATE -> sign | (Float.floatToFloat16((1 + r.nextFloat()) * (float) Math.pow(2, r.nextInt(13) - 10))
                    & 0x7FFF);
            case ANY_FINITE -> sign | (r.nextInt(31) << 10) | r.nextInt(1024);
            case LARGEST -> sign | 0x7BFF;
            case SUBNORMAL -> sign | (1 + r.nextInt(1023));
            case ZERO -> sign;
        };
    }

    /** {@code blocks} blocks of random bytes with the f16 scale fields replaced as {@code scales} says. */
    private static byte[] randomBlocks(GgmlType type, int blocks, Scales scales, Random r) {
        byte[] a = new byte[blocks * type.typeSize()];
        r.nextBytes(a);
        setScales(type, a, scales, r);
        return a;
    }

    /**
     * 256 blocks in which byte j of block k (for every byte that is not an f16 field, so codes, qh bits and packed
     * K-quant scales alike) is (k + 37 j) mod 256: every position of a block takes every byte value once.
     */
    private static byte[] codeSweep(GgmlType type, Random r) {
        int size = type.typeSize();
        byte[] a = new byte[256 * size];
        for (int k = 0; k < 256; k++) {
            for (int j = 0; j < size; j++) {
                a[k * size + j] = (byte) (k + 37 * j);
            }
        }
        setScales(type, a, Scales.MODERATE, r);
        return a;
    }

    private static void setScales(GgmlType type, byte[] a, Scales scales, Random r) {
        int size = type.typeSize();
        for (int at = 0; at < a.length; at += size) {
            for (int field : f16Fields(type)) {
                int bits = f16Bits(scales, r);
                a[at + field] = (byte) bits;
                a[at + field + 1] = (byte) (bits >>> 8);
            }
        }
    }

    private static float[] randomX(int length, Random r) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (2 * r.nextFloat() - 1) * 2;
        }
        return x;
    }

    /** Places the bytes after {@code pad} junk bytes, so that no load in the kernel is aligned. */
    private static MemorySegment segment(byte[] blocks, int pad) {
        byte[] a = new byte[pad + blocks.length];
        Arrays.fill(a, 0, pad, (byte) 0x5A);
        System.arraycopy(blocks, 0, a, pad, blocks.length);
        return MemorySegment.ofArray(a).asSlice(pad);
    }

    // ---- comparison ----

    private static void check(GgmlType type, byte[] blocks, long first, float[] x, int xOffset, int n, String what) {
        MemorySegment row = segment(blocks, 3);
        float[] w = new float[n];
        Dequant.row(type, row, first, n, w, 0);
        byte[] codesCleared = blocks.clone();
        int[] codes = codeBytes(type);
        for (int at = 0; at < codesCleared.length; at += type.typeSize()) {
            Arrays.fill(codesCleared, at + codes[0], at + codes[1], (byte) 0);
        }
        float[] offsets = new float[n];
        Dequant.row(type, MemorySegment.ofArray(codesCleared), first, n, offsets, 0);

        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            expected += (double) w[i] * x[xOffset + i];
            magnitude += (Math.abs((double) w[i]) + Math.abs((double) offsets[i])) * Math.abs(x[xOffset + i]);
        }
        assertTrue(Double.isFinite(magnitude), what + ": test data overflowed");
        double tolerance = 2 * U * ((double) n / LANES + 64) * magnitude;
        float actual = DotKernels.dot(type, row, first, x, xOffset, n);
        assertEquals(expected, actual, tolerance, () -> type + " " + what + ", first element " + first + ", x offset "
                + xOffset + ", n " + n + ", " + LANES + " float lanes");
    }

    static Stream<Arguments> typesAndScales() {
        return types().flatMap(t -> Arrays.stream(Scales.values()).map(s -> Arguments.of(t, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndScales")
    void randomBlocksMatchTheReference(GgmlType type, Scales scales) {
        Random r = new Random(31L * type.ordinal() + scales.ordinal());
        int bs = type.blockSize();
        for (int blocks : new int[] {1, 2, 3, 8, 37}) {
            for (int firstBlock : new int[] {0, 1, 4}) {
                for (int xOffset : new int[] {0, 5}) {
                    byte[] data = randomBlocks(type, firstBlock + blocks + 1, scales, r); // a spare block at the end
                    float[] x = randomX(xOffset + blocks * bs + 3, r);
                    check(type, data, (long) firstBlock * bs, x, xOffset, blocks * bs, scales.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyByteValueAtEveryPositionMatchesTheReference(GgmlType type) {
        Random r = new Random(977L * type.ordinal());
        byte[] data = codeSweep(type, r);
        int bs = type.blockSize();
        float[] x = randomX(256 * bs + 7, r);
        check(type, data, 0, x, 7, 256 * bs, "code sweep, whole tensor");
        // and each block alone, so one wrong code cannot hide in a long sum
        for (int k = 0; k < 256; k++) {
            check(type, data, (long) k * bs, x, k * bs, bs, "code sweep, block " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void unitXPicksOutSingleWeights(GgmlType type) {
        // x = e_i gives exactly the reference weight i (one product, every other term an exact zero)
        Random r = new Random(5L + type.ordinal());
        int bs = type.blockSize();
        byte[] data = randomBlocks(type, 2, Scales.MODERATE, r);
        float[] w = new float[2 * bs];
        Dequant.row(type, MemorySegment.ofArray(data), 0, 2 * bs, w, 0);
        for (int i = 0; i < 2 * bs; i++) {
            float[] x = new float[2 * bs];
            x[i] = 1;
            float actual = DotKernels.dot(type, segment(data, 1), 0, x, 0, 2 * bs);
            // the kernel may form the weight with one fused rounding instead of two: allow one unit in the last place
            // of the weight's larger part
            float[] cleared = new float[2 * bs];
            byte[] codesCleared = data.clone();
            int[] codes = codeBytes(type);
            for (int at = 0; at < codesCleared.length; at += type.typeSize()) {
                Arrays.fill(codesCleared, at + codes[0], at + codes[1], (byte) 0);
            }
            Dequant.row(type, MemorySegment.ofArray(codesCleared), 0, 2 * bs, cleared, 0);
            float ulp = Math.ulp(Math.max(Math.abs(w[i]), Math.abs(cleared[i])) * 2);
            int element = i;
            assertEquals(w[i], actual, ulp, () -> type + " element " + element);
        }
    }

    // ---- exact cases worked out by hand from the ggml block layouts (small integers and halves: no rounding) ----

    private static float[] ones(int n) {
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        return x;
    }

    private static float[] indices(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void q4_1ByHand() {
        // d = 0.5, m = -2, qs[j] = j | (15 - j) << 4: codes j (elements 0..15) and 15 - j (16..31), sum 240
        Bytes b = new Bytes(20).f16(0, 0.5f).f16(2, -2f);
        for (int j = 0; j < 16; j++) {
            b.u8(4 + j, j | ((15 - j) << 4));
        }
        // x = 1: 0.5 * 240 + 32 * -2 = 56
        assertEquals(56f, DotKernels.dot(GgmlType.Q4_1, b.segment(), 0, ones(32), 0, 32));
        // x = index: 0.5 * (sum j*j + sum (16+j)(15-j)) - 2 * 496 = 0.5 * (1240 + 2480) - 992 = 868
        assertEquals(868f, DotKernels.dot(GgmlType.Q4_1, b.segment(), 0, indices(32), 0, 32));
    }

    @Test
    void q5_0ByHand() {
        // d = 1, qs all 0, qh = 0xFFFF0000: elements 16..31 have code 16 (weight 0), elements 0..15 code 0 (weight -16)
        Bytes b = new Bytes(22).f16(0, 1f).u32(2, 0xFFFF_0000);
        assertEquals(-256f, DotKernels.dot(GgmlType.Q5_0, b.segment(), 0, ones(32), 0, 32));
        // x = index: -16 * (0 + .. + 15) = -1920
        assertEquals(-1920f, DotKernels.dot(GgmlType.Q5_0, b.segment(), 0, indices(32), 0, 32));
        // qh = 1 (element 0 only) and qs[0] = 0x0F: element 0 is 31 - 16 = 15, element 16 is 0 - 16, rest 0 - 16
        b.u32(2, 1).u8(6, 0x0F);
        assertEquals(15f - 31 * 16, DotKernels.dot(GgmlType.Q5_0, b.segment(), 0, ones(32), 0, 32));
    }

    @Test
    void q5_1ByHand() {
        // d = 2, m = 1, qs all 0xFF, qh = 0xAAAAAAAA: codes 15 (even elements) and 31 (odd); sum = 16 * 46 = 736
        Bytes b = new Bytes(24).f16(0, 2f).f16(2, 1f).u32(4, 0xAAAA_AAAA);
        for (int j = 0; j < 16; j++) {
            b.u8(8 + j, 0xFF);
        }
        assertEquals(2 * 736f + 32, DotKernels.dot(GgmlType.Q5_1, b.segment(), 0, ones(32), 0, 32));
    }

    /** Q4_K / Q5_K scale bytes for scales j + 1 and mins j (sub-block j), all below 16. */
    private static void smallKScales(Bytes b, int at) {
        for (int j = 0; j < 4; j++) {
            b.u8(at + j, j + 1); // scales 0..3 in the low 6 bits of bytes 0..3
            b.u8(at + 4 + j, j); // mins 0..3 in the low 6 bits of bytes 4..7
            b.u8(at + 8 + j, (j + 5) | ((j + 4) << 4)); // scales 4..7 low nibbles, mins 4..7 high nibbles
        }
    }

    @Test
    void q4_KByHand() {
        // d = 1, dmin = 0.5, all codes 3: sub-block j has weights 3 (j + 1) - 0.5 j; sum over j of 32 (2.5 j + 3) = 3008
        Bytes b = new Bytes(144).f16(0, 1f).f16(2, 0.5f);
        smallKScales(b, 4);
        for (int j = 0; j < 128; j++) {
            b.u8(16 + j, 0x33);
        }
        assertEquals(3008f, DotKernels.dot(GgmlType.Q4_K, b.segment(), 0, ones(256), 0, 256));
        // sub-block 7 with scale 63 and min 63 (needs the top two bits in bytes 3 and 7): 63 * 3 - 31.5 = 157.5
        // instead of 8 * 3 - 3.5 = 20.5, so the sum grows by 32 * 137
        b.u8(4 + 11, 0xFF).u8(4 + 3, 4 | 0xC0).u8(4 + 7, 3 | 0xC0);
        assertEquals(3008f + 32 * 137, DotKernels.dot(GgmlType.Q4_K, b.segment(), 0, ones(256), 0, 256));
        // sub-block 3 alone (x = 1 on elements 96..127, the high nibbles of qs[32..63]): 32 * (4 * 3 - 1.5) = 336
        float[] x = new float[256];
        Arrays.fill(x, 96, 128, 1f);
        assertEquals(336f, DotKernels.dot(GgmlType.Q4_K, b.segment(), 0, x, 0, 256));
    }

    @Test
    void q5_KByHand() {
        // as Q4_K, plus qh[l] = 0b10101010: odd sub-blocks get bit 4, codes 3 (even j) and 19 (odd j).
        // sum over j of (j + 1) * code = 428, minus sum of 0.5 j = 14: 414 per element position, times 32
        Bytes b = new Bytes(176).f16(0, 1f).f16(2, 0.5f);
        smallKScales(b, 4);
        for (int l = 0; l < 32; l++) {
            b.u8(16 + l, 0xAA);
        }
        for (int j = 0; j < 128; j++) {
            b.u8(48 + j, 0x33);
        }
        assertEquals(414f * 32, DotKernels.dot(GgmlType.Q5_K, b.segment(), 0, ones(256), 0, 256));
        // sub-block 5 alone (elements 160..191): 32 * (6 * 19 - 2.5) = 3568
        float[] x = new float[256];
        Arrays.fill(x, 160, 192, 1f);
        assertEquals(3568f, DotKernels.dot(GgmlType.Q5_K, b.segment(), 0, x, 0, 256));
    }

    @Test
    void q6_KByHand() {
        // d = 0.25, int8 scales k - 8 (k = 0..15), ql all 0x21, qh all 0b11100100: in each half group g has code
        // (g < 2 ? 1 : 2) | g << 4 = 1, 17, 34, 50, i.e. q - 32 = -31, -15, 2, 18.
        // sum = 4 * sum over g of (q_g - 32) * (scales of group g in both halves) = 4 * 708 = 2832
        Bytes b = new Bytes(210).f16(208, 0.25f);
        for (int j = 0; j < 128; j++) {
            b.u8(j, 0x21);
        }
        for (int j = 0; j < 64; j++) {
            b.u8(128 + j, 0b1110_0100);
        }
        for (int k = 0; k < 16; k++) {
            b.u8(192 + k, k - 8);
        }
        assertEquals(2832f, DotKernels.dot(GgmlType.Q6_K, b.segment(), 0, ones(256), 0, 256));
        // elements 208..223 alone: half 1, group 2, second run: scale index 8 + 4 + 1 = 13 (value 5), code 2:
        // 16 * 0.25 * 5 * 2 = 40
        float[] x = new float[256];
        Arrays.fill(x, 208, 224, 1f);
        assertEquals(40f, DotKernels.dot(GgmlType.Q6_K, b.segment(), 0, x, 0, 256));
    }
}
