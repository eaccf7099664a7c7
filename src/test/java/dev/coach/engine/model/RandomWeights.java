package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Random but valid weight tensors in every type the fixtures use, written straight in the ggml byte layout (see
 * ggml-common.h), so no quantizer is involved: the bytes are the ground truth for any engine that decodes them.
 *
 * <p>Every generator aims at elements with a given standard deviation {@code sigma} and a mean near zero: block
 * scales are drawn in 0.5 to 1.5 times the value that gives {@code sigma}, codes are uniform over their range, and
 * where a code range is not symmetric (Q4_0, Q5_0, Q6_K) the scale's sign is random, and where a block has a
 * minimum (Q4_1, Q5_1, Q4_K, Q5_K) the minimum is set to cancel the mean of the codes. Scales are rounded to f16
 * before they are written, so what is stored is exactly what was meant.
 */
final class RandomWeights {

    private RandomWeights() {
    }

    /** Standard deviation of a code uniform over {@code levels} consecutive integers. */
    private static double uniformSd(int levels) {
        return Math.sqrt((levels * (double) levels - 1) / 12.0);
    }

    /** {@code count} elements of {@code type} (a whole number of blocks). */
    static byte[] generate(GgmlType type, long count, double sigma, SplittableRandom r) {
        long bytes = type.bytesFor(count);
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(count + " elements do not fill whole " + type + " blocks (or are too many)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        int blocks = (int) (count / type.blockSize());
        switch (type) {
            case F32 -> {
                for (long i = 0; i < count; i++) {
                    b.putFloat(halfUniform(sigma, r));
                }
            }
            case F16 -> {
                for (long i = 0; i < count; i++) {
                    b.putShort(Float.floatToFloat16(halfUniform(sigma, r)));
                }
            }
            case BF16 -> {
                double a = sigma * Math.sqrt(3);
                for (long i = 0; i < count; i++) {
                    float v = (float) ((r.nextDouble() * 2 - 1) * a);
                    b.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // truncation gives a valid bf16
                }
            }
            case Q8_0 -> {
                for (int k = 0; k < blocks; k++) {
                    b.putShort(scale(sigma / uniformSd(255), true, r));
                    for (int j = 0; j < 32; j++) {
                        b.put((byte) (r.nextInt(255) - 127)); // -127..127, as the quantizer makes them
                    }
                }
            }
            case Q4_0 -> {
                for (int k = 0; k < blocks; k++) {
                    b.putShort(scale(sigma / uniformSd(16), true, r));
                    randomBytes(b, 16, r);
                }
            }
            case Q4_1 -> {
                for (int k = 0; k < blocks; k++) {
                    short d = scale(sigma / uniformSd(16), false, r);
                    b.putShort(d).putShort(Float.floatToFloat16(-7.5f * Float.float16ToFloat(d) * jitter(r)));
                    randomBytes(b, 16, r);
                }
            }
            case Q5_0 -> {
                for (int k = 0; k < blocks; k++) {
                    b.putShort(scale(sigma / uniformSd(32), true, r));
                    randomBytes(b, 4 + 16, r);
                }
            }
            case Q5_1 -> {
                for (int k = 0; k < blocks; k++) {
                    short d = scale(sigma / uniformSd(32), false, r);
                    b.putShort(d).putShort(Float.floatToFloat16(-15.5f * Float.float16ToFloat(d) * jitter(r)));
                    randomBytes(b, 4 + 16, r);
                }
            }
            case Q4_K -> {
                for (int k = 0; k < blocks; k++) {
                    kQuantHeader(b, sigma, 16, r);
                    randomBytes(b, 128, r);
                }
            }
            case Q5_K -> {
                for (int k = 0; k < blocks; k++) {
                    kQuantHeader(b, sigma, 32, r);
                    randomBytes(b, 32 + 128, r);
                }
            }
            case Q6_K -> {
                // x = d * scale[16 elements] * (q - 32), q in 0..63; scales are signed bytes
                double meanAbsScale = 71.5;
                for (int k = 0; k < blocks; k++) {
                    randomBytes(b, 128 + 64, r);
                    for (int j = 0; j < 16; j++) {
                        int s = 16 + r.nextInt(112);
                        b.put((byte) (r.nextBoolean() ? s : -s));
                    }
                    b.putShort(scale(sigma / (uniformSd(64) * meanAbsScale), false, r));
                }
            }
            default -> throw new IllegalArgumentException("no random generator for " + type);
        }
        return b.array();
    }

    /**
     * The header of a Q4_K or Q5_K super-block: d, dmin and eight 6-bit scales and mins packed in 12 bytes. Values
     * are d * scale * q - dmin * min; the min of each 32-element sub-block is chosen so that its mean is about zero.
     */
    private static void kQuantHeader(ByteBuffer b, double sigma, int levels, SplittableRandom r) {
        double meanScale = 39.5; // scales uniform in 16..63
        short dBits = scale(sigma / (uniformSd(levels) * meanScale), false, r);
        float d = Float.float16ToFloat(dBits);
        float dmin = d * (levels / 2f);
        short dminBits = Float.floatToFloat16(dmin);
        dmin = Float.float16ToFloat(dminBits);
        int[] sc = new int[8];
        int[] mn = new int[8];
        for (int j = 0; j < 8; j++) {
            sc[j] = 16 + r.nextInt(48);
            double wanted = d * sc[j] * (levels - 1) / 2.0 / dmin;
            mn[j] = Math.clamp(Math.round(wanted) + r.nextInt(3) - 1, 0, 63);
        }
        b.putShort(dBits).putShort(dminBits);
        for (int j = 0; j < 4; j++) {
            b.put((byte) (sc[j] | (sc[j + 4] >> 4) << 6));
        }
        for (int j = 0; j < 4; j++) {
            b.put((byte) (mn[j] | (mn[j + 4] >> 4) << 6));
        }
        for (int j = 0; j < 4; j++) {
            b.put((byte) ((sc[j + 4] & 15) | (mn[j + 4] & 15) << 4));
        }
    }

    /** An f16 block scale in 0.5 to 1.5 times {@code base}, negative half of the time if {@code signed}. */
    private static short scale(double base, boolean signed, SplittableRandom r) {
        double v = base * (0.5 + r.nextDouble());
        if (signed && r.nextBoolean()) {
            v = -v;
        }
        return Float.floatToFloat16((float) v);
    }

    /** A factor in 0.9 to 1.1, so block minimums do not cancel the code mean exactly. */
    private static float jitter(SplittableRandom r) {
        return (float) (0.9 + 0.2 * r.nextDouble());
    }

    /**
     * A value uniform in (-a, a) with a = sigma * sqrt(3), rounded to f16: F32 and F16 tensors drawn from the same
     * stream hold exactly the same numbers.
     */
    private static float halfUniform(double sigma, SplittableRandom r) {
        double a = sigma * Math.sqrt(3);
        return Float.float16ToFloat(Float.floatToFloat16((float) ((r.nextDouble() * 2 - 1) * a)));
    }

    private static void randomBytes(ByteBuffer b, int n, SplittableRandom r) {
        for (int i = 0; i < n; i++) {
            b.put((byte) r.nextInt(256));
        }
    }

    /** {@code n} F32 values uniform in [lo, hi]. */
    static float[] uniform(int n, double lo, double hi, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static byte[] f32Bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }
}
