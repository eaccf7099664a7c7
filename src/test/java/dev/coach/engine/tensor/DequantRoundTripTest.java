package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coach.engine.gguf.GgmlType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simple quantizers written from the format definitions encode random floats; the decoder must give back exactly
 * the value each stored code stands for, and that value must be within half a quantization step of the input.
 *
 * <p>The quantizers are deliberately naive (no error search like ggml's), but each picks its f16 scales rounded
 * so that every input lies inside the representable range, which makes "half a step" a hard bound.
 */
class DequantRoundTripTest {

    private static final int BLOCKS = 40;
    /** Slack for float rounding in x / d, q * d and the subtraction of the min; inputs are in [-8, 8]. */
    private static final float EPS = 1e-5f;

    private final Random random = new Random(20240611);

    // ---- f16 helpers: round a positive scale up, a min down, so the range always covers the data ----

    private static float half(short h) {
        return Float.float16ToFloat(h);
    }

    private static short f16Up(float v) {
        short h = Float.floatToFloat16(v);
        while (half(h) < v) {
            h = (h & 0x7FFF) == 0 ? (short) 0x0001 : (h & 0x8000) == 0 ? (short) (h + 1) : (short) (h - 1);
        }
        return h;
    }

    private static short f16Down(float v) {
        short h = Float.floatToFloat16(v);
        while (half(h) > v) {
            h = (h & 0x7FFF) == 0 ? (short) 0x8001 : (h & 0x8000) == 0 ? (short) (h - 1) : (short) (h + 1);
        }
        return h;
    }

    private float[] randomValues(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // a mix of block-to-block magnitudes, including some all-positive stretches
            float scale = (i / 64) % 3 == 0 ? 8f : (i / 64) % 3 == 1 ? 0.01f : 1f;
            x[i] = (i / 32) % 5 == 4 ? scale * random.nextFloat() : scale * (2 * random.nextFloat() - 1);
        }
        return x;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static void check(GgmlType type, float[] x, Bytes encoded, float[] expected, float[] tolerance) {
        float[] out = new float[x.length];
        Dequant.row(type, encoded.segment(), 0, x.length, out, 0);
        float worst = 0;
        for (int i = 0; i < x.length; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]),
                    () -> type + " element " + at + ": code means " + expected[at] + " but decoded " + out[at]);
            float err = Math.abs(out[i] - x[i]);
            assertTrue(err <= tolerance[i], () -> type + " element " + at + ": " + x[at] + " decoded as " + out[at]
                    + ", error " + Math.abs(out[at] - x[at]) + " > " + tolerance[at]);
            worst = Math.max(worst, err / tolerance[i]);
        }
        // the data really exercises the range: some element is at least a quarter step away from its code
        assertTrue(worst > 0.25f, type + " worst error only " + worst + " of the bound");
    }

    // ---- 32-element block types ----

    /** Q8_0 and Q4_0 / Q5_0: symmetric, x = (q - offset) * d with |q - offset| <= qmax. */
    private void symmetric(GgmlType type, int qmax, int offset) {
        float[] x = randomValues(32 * BLOCKS);
        int size = type.typeSize();
        Bytes b = new Bytes(size * BLOCKS);
        float[] expected = new float[x.length];
        float[] tol = new float[x.length];
        for (int blk = 0; blk < BLOCKS; blk++) {
            float amax = 0;
            for (int e = 0; e < 32; e++) {
                amax = Math.max(amax, Math.abs(x[32 * blk + e]));
            }
            short dh = f16Up(amax / qmax);
            float d = half(dh);
            int at = size * blk;
            b.u16(at, dh);
            int qh = 0;
            for (int e = 0; e < 32; e++) {
                int i = 32 * blk + e;
                int q = clamp(Math.round(x[i] / d), -qmax, qmax) + offset;
                expected[i] = (q - offset) * d;
                tol[i] = 0.5f * d + EPS;
                switch (type) {
                    case Q8_0 -> b.u8(at + 2 + e, q);
                    case Q4_0 -> putNibble(b, at + 2, e, q);
                    case Q5_0 -> {
                        putNibble(b, at + 6, e, q & 0xF);
                        qh |= (q >> 4) << e;
                    }
                    default -> throw new AssertionError(type);
                }
            }
            if (type == GgmlType.Q5_0) {
                b.u32(at + 2, qh);
            }
        }
        check(type, x, b, expected, tol);
    }

    /** Q4_1 / Q5_1: x = q * d + m, q in 0..qmax. */
    private void affine(GgmlType type, int qmax) {
        float[] x = randomValues(32 * BLOCKS);
        int size = type.typeSize();
        Bytes b = new Bytes(size * BLOCKS);
        float[] expected = new float[x.length];
        float[] tol = new float[x.length];
        for (int blk = 0; blk < BLOCKS; blk++) {
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (int e = 0; e < 32; e++) {
                lo = Math.min(lo, x[32 * blk + e]);
                hi = Math.max(hi, x[32 * blk + e]);
            }
            short mh = f16Down(lo);
            float m = half(mh);
            short dh = f16Up((hi - m) / qmax);
            float d = half(dh);
            int at = size * blk;
            b.u16(at, dh).u16(at + 2, mh);
            int qh = 0;
            for (int e = 0; e < 32; e++) {
                int i = 32 * blk + e;
                int q = clamp(Math.round((x[i] - m) / d), 0, qmax);
                expected[i] = q * d + m;
                tol[i] = 0.5f * d + EPS;
                if (type == GgmlType.Q4_1) {
                    putNibble(b, at + 4, e, q);
                } else {
                    putNibble(b, at + 8, e, q & 0xF);
                    qh |= (q >> 4) << e;
                }
            }
            if (type == GgmlType.Q5_1) {
                b.u32(at + 4, qh);
            }
        }
        check(type, x, b, expected, tol);
    }

    /** Element e of a 32-element block: low nibble of byte e for e < 16, high nibble of byte e - 16 otherwise. */
    private static void putNibble(Bytes b, int qs, int e, int q) {
        int j = qs + (e % 16);
        int old = b.a[j] & 0xFF;
        b.u8(j, e < 16 ? (old & 0xF0) | q : (old & 0x0F) | (q << 4));
    }

    @Test
    void q8_0() {
        symmetric(GgmlType.Q8_0, 127, 0);
    }

    @Test
    void q4_0() {
        symmetric(GgmlType.Q4_0, 7, 8);
    }

    @Test
    void q5_0() {
        symmetric(GgmlType.Q5_0, 15, 16);
    }

    @Test
    void q4_1() {
        affine(GgmlType.Q4_1, 15);
    }

    @Test
    void q5_1() {
        affine(GgmlType.Q5_1, 31);
    }

    // ---- K-quants ----

    /**
     * Q4_K / Q5_K: per super-block d, dmin (f16) and per 32-element sub-block 6-bit sc, m;
     * x = (d * sc) * q - (dmin * m), q in 0..qmax. The sub-block min is taken as min(0, smallest x) so that
     * -dmin * m can reach it with m >= 0.
     */
    private void kQuant(GgmlType type, int qmax) {
        float[] x = randomValues(256 * BLOCKS);
        int size = type.typeSize();
        Bytes b = new Bytes(size * BLOCKS);
        float[] expected = new float[x.length];
        float[] tol = new float[x.length];
        for (int blk = 0; blk < BLOCKS; blk++) {
            float[] lo = new float[8];
            float[] hi = new float[8];
            float maxNegMin = 0;
            for (int sub = 0; sub < 8; sub++) {
                lo[sub] = 0;
                hi[sub] = -Float.MAX_VALUE;
                for (int l = 0; l < 32; l++) {
                    float v = x[256 * blk + 32 * sub + l];
                    lo[sub] = Math.min(lo[sub], v);
                    hi[sub] = Math.max(hi[sub], v);
                }
                maxNegMin = Math.max(maxNegMin, -lo[sub]);
            }
            short dminh = f16Up(maxNegMin / 63);
            float dmin = half(dminh);
            int[] m = new int[8];
            float[] offset = new float[8];
            float maxStep = 0;
            for (int sub = 0; sub < 8; sub++) {
                // round the min away from zero so the offset lies at or below the smallest value
                m[sub] = dmin == 0 ? 0 : clamp((int) Math.ceil(-lo[sub] / dmin), 0, 63);
                offset[sub] = dmin * m[sub];
                maxStep = Math.max(maxStep, (hi[sub] + offset[sub]) / qmax);
            }
            short dh = f16Up(maxStep / 63);
            float d = half(dh);
            int[] sc = new int[8];
            for (int sub = 0; sub < 8; sub++) {
                sc[sub] = clamp((int) Math.ceil((hi[sub] + offset[sub]) / qmax / d), 1, 63);
            }
            int at = size * blk;
            b.u16(at, dh).u16(at + 2, dminh);
            packScalesAndMins(b, at + 4, sc, m);
            for (int sub = 0; sub < 8; sub++) {
                float step = d * sc[sub];
                for (int l = 0; l < 32; l++) {
                    int i = 256 * blk + 32 * sub + l;
                    int q = clamp(Math.round((x[i] + offset[sub]) / step), 0, qmax);
                    expected[i] = step * q - offset[sub];
                    tol[i] = 0.5f * step + EPS;
                    // sub-blocks 2c and 2c+1 share 32 bytes: low nibbles for the even one, high for the odd
                    int qsAt = at + (type == GgmlType.Q4_K ? 16 : 48) + 32 * (sub / 2) + l;
                    int old = b.a[qsAt] & 0xFF;
                    b.u8(qsAt, sub % 2 == 0 ? (old & 0xF0) | (q & 0xF) : (old & 0x0F) | ((q & 0xF) << 4));
                    if (type == GgmlType.Q5_K) {
                        int qhAt = at + 16 + l;
                        b.u8(qhAt, (b.a[qhAt] & 0xFF) | ((q >> 4) << sub));
                    }
                }
            }
        }
        check(type, x, b, expected, tol);
    }

    /** The 12-byte packing of eight 6-bit scales and mins, written from the format description. */
    private static void packScalesAndMins(Bytes b, int at, int[] sc, int[] m) {
        for (int j = 0; j < 4; j++) {
            b.u8(at + j, sc[j] | ((sc[j + 4] >> 4) << 6));
            b.u8(at + 4 + j, m[j] | ((m[j + 4] >> 4) << 6));
            b.u8(at + 8 + j, (sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4));
        }
    }

    @Test
    void q4_K() {
        kQuant(GgmlType.Q4_K, 15);
    }

    @Test
    void q5_K() {
        kQuant(GgmlType.Q5_K, 31);
    }

    /** Q6_K: 16 sub-blocks of 16 with signed 8-bit scales, x = (d * sc) * (q - 32), q - 32 in -32..31. */
    @Test
    void q6_K() {
        float[] x = randomValues(256 * BLOCKS);
        Bytes b = new Bytes(210 * BLOCKS);
        float[] expected = new float[x.length];
        float[] tol = new float[x.length];
        for (int blk = 0; blk < BLOCKS; blk++) {
            int at = 210 * blk;
            float[] amax = new float[16];
            float maxStep = 0;
            for (int sub = 0; sub < 16; sub++) {
                for (int l = 0; l < 16; l++) {
                    amax[sub] = Math.max(amax[sub], Math.abs(x[256 * blk + 16 * sub + l]));
                }
                maxStep = Math.max(maxStep, amax[sub] / 31);
            }
            short dh = f16Up(maxStep / 127);
            float d = half(dh);
            b.u16(at + 208, dh);
            for (int sub = 0; sub < 16; sub++) {
                int magnitude = clamp((int) Math.ceil(amax[sub] / 31 / d), 1, 127);
                // alternate the sign of the scale; q flips with it, so negative scales get exercised too
                int scale = sub % 2 == 0 ? magnitude : -magnitude;
                b.u8(at + 192 + sub, scale);
                float step = d * scale;
                for (int l = 0; l < 16; l++) {
                    int e = 16 * sub + l;
                    int i = 256 * blk + e;
                    int q = clamp(Math.round(x[i] / step), -32, 31);
                    expected[i] = step * q;
                    tol[i] = 0.5f * Math.abs(step) + EPS;
                    int u = q + 32;
                    // half h, group g, lane l: low 4 bits in ql[64h + 32(g % 2) + l] (low nibble for g < 2),
                    // top 2 bits at bit 2g of qh[32h + l]
                    int h = e / 128;
                    int g = (e % 128) / 32;
                    int lane = e % 32;
                    int qlAt = at + 64 * h + 32 * (g % 2) + lane;
                    int old = b.a[qlAt] & 0xFF;
                    b.u8(qlAt, g < 2 ? (old & 0xF0) | (u & 0xF) : (old & 0x0F) | ((u & 0xF) << 4));
                    int qhAt = at + 128 + 32 * h + lane;
                    b.u8(qhAt, (b.a[qhAt] & 0xFF) | ((u >> 4) << (2 * g)));
                }
            }
        }
        check(GgmlType.Q6_K, x, b, expected, tol);
    }

    // ---- plain float types ----

    @Test
    void f16AndBf16RowsAreWithinHalfAnUlpOfTheirFormat() {
        float[] x = randomValues(512);
        Bytes h = new Bytes(2 * x.length);
        Bytes bf = new Bytes(2 * x.length);
        for (int i = 0; i < x.length; i++) {
            h.u16(2 * i, Float.floatToFloat16(x[i]));
            // bf16 by round-to-nearest-even on the top 16 bits (inputs are finite)
            int bits = Float.floatToRawIntBits(x[i]);
            int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
            bf.u16(2 * i, rounded);
        }
        float[] outH = new float[x.length];
        float[] outB = new float[x.length];
        Dequant.row(GgmlType.F16, h.segment(), 0, x.length, outH, 0);
        Dequant.row(GgmlType.BF16, bf.segment(), 0, x.length, outB, 0);
        for (int i = 0; i < x.length; i++) {
            // 11 significant bits for f16 (normal range), 8 for bf16; f16 subnormals have an absolute step of 2^-24
            float tolH = Math.max(Math.abs(x[i]) * 0x1p-11f, 0x1p-25f);
            float tolB = Math.abs(x[i]) * 0x1p-8f;
            assertTrue(Math.abs(outH[i] - x[i]) <= tolH, "f16 " + x[i] + " -> " + outH[i]);
            assertTrue(Math.abs(outB[i] - x[i]) <= tolB, "bf16 " + x[i] + " -> " + outB[i]);
        }
    }
}
