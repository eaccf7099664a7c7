package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Dot products of Q4_1 and Q5_1 weights with activations in llama.cpp's Q8_1 form. Q8_1 keeps, besides the F16 block
 * scale, an F16 copy of {@code scale × sum(codes)}, and llama.cpp multiplies the weights' block minimum with that
 * rounded sum; rounding it again differently moves logits by about 2%, so these types get an exact path of their own.
 */
public final class Q8_1Dot {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private Q8_1Dot() {
    }

    /** Activations in Q8_1 form: codes, and per block of 32 the F16-rounded scale and scaled sum. */
    public record Activation(byte[] codes, float[] scale, float[] scaledSum) {
    }

    public static Activation quantize(float[] x, int n) {
        if (n % 32 != 0) {
            throw new IllegalArgumentException("Q8_1 activations need a multiple of 32 values, got " + n);
        }
        byte[] q = new byte[n];
        float[] d16 = new float[n / 32];
        float[] s16 = new float[n / 32];
        for (int b = 0; b < n / 32; b++) {
            d16[b] = ActivationQuant.q8_0Block(x, b * 32, q, b * 32);
            // Q8_1 keeps scale x sum(codes) with the scale before its F16 rounding.
            float amax = 0f;
            int sum = 0;
            for (int i = b * 32; i < b * 32 + 32; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
                sum += q[i];
            }
            s16[b] = half(amax / 127f * sum);
        }
        return new Activation(q, d16, s16);
    }

    private static float half(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** Sum over {@code n} weights from element {@code firstElement} of a Q4_1 or Q5_1 tensor times the activation. */
    public static float dot(GgmlType type, MemorySegment w, long firstElement, Activation a, int n) {
        boolean five = switch (type) {
            case Q4_1 -> false;
            case Q5_1 -> true;
            default -> throw new IllegalArgumentException("Q8_1 activations pair with Q4_1 and Q5_1, not " + type);
        };
        int blockBytes = type.typeSize();
        long at = firstElement / 32 * blockBytes;
        float acc = 0f;
        float mins = 0f;
        for (int b = 0; b < n / 32; b++, at += blockBytes) {
            float d = Dequant.f16(w.get(Dequant.SHORT_LE, at));
            float m = Dequant.f16(w.get(Dequant.SHORT_LE, at + 2));
            int qh = five ? w.get(INT_LE, at + 4) : 0;
            long qs = at + (five ? 8 : 4);
            int sumi = 0;
            int base = b * 32;
            for (int j = 0; j < 16; j++) {
                int packed = w.get(ValueLayout.JAVA_BYTE, qs + j) & 0xFF;
                int lo = packed & 0x0F;
                int hi = packed >>> 4;
                if (five) {
                    lo |= ((qh >>> j) & 1) << 4;
                    hi |= ((qh >>> (j + 16)) & 1) << 4;
                }
                sumi += lo * a.codes()[base + j] + hi * a.codes()[base + j + 16];
            }
            acc += d * a.scale()[b] * sumi;
            mins += m * a.scaledSum()[b];
        }
        return acc + mins;
    }
}
