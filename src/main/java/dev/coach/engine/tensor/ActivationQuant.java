package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;

/**
 * Rounds an activation vector the way llama.cpp's CPU backend does before it multiplies it with weights of a given
 * type, and gives the rounded values back as floats. llama.cpp never multiplies quantized weights with float
 * activations: it first converts the activations to the weight type's "dot type" — F16 for F16 weights, BF16 for
 * BF16, 8-bit blocks of 32 with an F16 scale (Q8_0/Q8_1) for Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0, and 8-bit blocks of
 * 256 with a float scale (Q8_K) for the K-quants. Reproducing that rounding is what makes our logits agree with
 * llama.cpp's to float precision instead of to the 1–3% that the rounding itself moves them.
 *
 * <p>A dot product of weights with the values returned here equals llama.cpp's integer dot product up to float
 * summation order.
 */
public final class ActivationQuant {
    private ActivationQuant() {
    }

    /** The activation format llama.cpp pairs with weights of {@code weights}. */
    public enum DotType { F32, F16, BF16, Q8_0, Q8_K }

    public static DotType dotType(GgmlType weights) {
        return switch (weights) {
            case F32 -> DotType.F32;
            case F16 -> DotType.F16;
            case BF16 -> DotType.BF16;
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 -> DotType.Q8_0;
            case Q4_K, Q5_K, Q6_K -> DotType.Q8_K;
            default -> throw new UnsupportedOperationException(weights + " weights are not supported");
        };
    }

    /**
     * Writes into {@code out[0 .. n)} the values of {@code x[0 .. n)} after rounding to {@code type}. For the block
     * types {@code n} must be a multiple of the block size (32 or 256).
     */
    public static void round(DotType type, float[] x, int n, float[] out) {
        switch (type) {
            case F32 -> System.arraycopy(x, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Dequant.bf16(toBf16(x[i]));
                }
            }
            case Q8_0 -> q8_0(x, n, out);
            case Q8_K -> q8_k(x, n, out);
        }
    }

    /** float to bfloat16, rounding to nearest even; NaN stays a quiet NaN. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + (0x7fff + ((bits >>> 16) & 1))) >>> 16);
    }

    /**
     * Quantizes {@code x[off .. off+32)} the way llama.cpp's Q8_0 does: codes {@code round(x * 127 / max|x|)} to nearest
     * even, written to {@code codes[codeOff ..]}. Returns the block scale {@code max|x| / 127} rounded to F16.
     */
    public static float q8_0Block(float[] x, int off, byte[] codes, int codeOff) {
        float amax = 0f;
        for (int i = off; i < off + 32; i++) {
            amax = Math.max(amax, Math.abs(x[i]));
        }
        float id = amax != 0f ? 127f / amax : 0f;
        for (int i = 0; i < 32; i++) {
            codes[codeOff + i] = (byte) Math.rint(x[off + i] * id);
        }
        return Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
    }

    private static void q8_0(float[] x, int n, float[] out) {
        if (n % 32 != 0) {
            throw new IllegalArgumentException("Q8_0 activations need a multiple of 32 values, got " + n);
        }
        byte[] codes = new byte[32];
        for (int b = 0; b < n; b += 32) {
            float d = q8_0Block(x, b, codes, 0);
            for (int i = 0; i < 32; i++) {
                out[b + i] = d * codes[i];
            }
        }
    }

    // Blocks of 256: the scale comes from the signed value of largest magnitude, kept as a float; codes clamp at 127.
    private static void q8_k(float[] x, int n, float[] out) {
        if (n % 256 != 0) {
            throw new IllegalArgumentException("Q8_K activations need a multiple of 256 values, got " + n);
        }
        for (int b = 0; b < n; b += 256) {
            float amax = 0f;
            float max = 0f;
            for (int i = b; i < b + 256; i++) {
                float ax = Math.abs(x[i]);
                if (ax > amax) {
                    amax = ax;
                    max = x[i];
                }
            }
            if (amax == 0f) {
                java.util.Arrays.fill(out, b, b + 256, 0f);
                continue;
            }
            float iscale = -127f / max;
            float d = 1f / iscale;
            for (int i = b; i < b + 256; i++) {
                out[i] = d * Math.min(127, (int) Math.rint(iscale * x[i]));
            }
        }
    }
}
