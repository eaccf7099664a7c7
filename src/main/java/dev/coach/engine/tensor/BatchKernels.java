package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Prompt-time kernels: one weight row against four inputs at once. Each block of weights is turned into float
 * vectors once (scale applied) and then used for all four inputs, so the decoding cost that dominates a single
 * dot product is shared. For Q8_0, Q4_0 and Q4_K; other types use {@link DotKernels#dot} per input.
 */
public final class BatchKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Vector shapes this class handles: 32 bytes must split into whole float vectors. */
    private static final boolean USABLE = L >= 4 && L <= 16 && 16 % L == 0;

    private BatchKernels() {
    }

    /** Whether {@link #dot4} handles {@code type} on this machine. */
    public static boolean supports(GgmlType type) {
        return USABLE && (type == GgmlType.Q8_0 || type == GgmlType.Q4_0 || type == GgmlType.Q4_K);
    }

    /**
     * {@code out[k] = row · x_k} for the four inputs {@code x0..x3}, over {@code cols} weights starting at element
     * {@code first} of {@code w}.
     */
    public static void dot4(GgmlType type, MemorySegment w, long first, int cols, float[] x0, float[] x1, float[] x2, float[] x3,
                            float[] out) {
        switch (type) {
            case Q8_0 -> q8_0(w, first / 32 * 34, cols / 32, x0, x1, x2, x3, out);
            case Q4_0 -> q4_0(w, first / 32 * 18, cols / 32, x0, x1, x2, x3, out);
            case Q4_K -> q4_K(w, first / 256 * 144, cols / 256, x0, x1, x2, x3, out);
            default -> throw new IllegalArgumentException(type + " has no batch kernel");
        }
    }

    private static void q8_0(MemorySegment w, long at, int blocks, float[] x0, float[] x1, float[] x2, float[] x3, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++, at += 34) {
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(Dequant.SHORT_LE, at)));
            ByteVector q = ByteVector.fromMemorySegment(B32, w, at + 2, LE);
            int base = b * 32;
            for (int p = 0; p < 32 / L; p++) {
                FloatVector wv = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).mul(d);
                int i = base + p * L;
                a0 = wv.fma(FloatVector.fromArray(F, x0, i), a0);
                a1 = wv.fma(FloatVector.fromArray(F, x1, i), a1);
                a2 = wv.fma(FloatVector.fromArray(F, x2, i), a2);
                a3 = wv.fma(FloatVector.fromArray(F, x3, i), a3);
            }
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD);
        out[1] = a1.reduceLanes(VectorOperators.ADD);
        out[2] = a2.reduceLanes(VectorOperators.ADD);
        out[3] = a3.reduceLanes(VectorOperators.ADD);
    }

    private static void q4_0(MemorySegment w, long at, int blocks, float[] x0, float[] x1, float[] x2, float[] x3, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++, at += 18) {
            float dv = Float.float16ToFloat(w.get(Dequant.SHORT_LE, at));
            FloatVector d = FloatVector.broadcast(F, dv);
            FloatVector off = FloatVector.broadcast(F, -8f * dv);
            ByteVector raw = ByteVector.fromMemorySegment(B16, w, at + 2, LE);
            ByteVector lo = raw.and((byte) 0x0F);
            ByteVector hi = DotKernels.shr(raw, 4).and((byte) 0x0F);
            int base = b * 32;
            for (int half = 0; half < 2; half++) {
                ByteVector nib = half == 0 ? lo : hi;
                for (int p = 0; p < 16 / L; p++) {
                    FloatVector wv = ((FloatVector) nib.convertShape(VectorOperators.B2F, F, p)).fma(d, off);
                    int i = base + half * 16 + p * L;
                    a0 = wv.fma(FloatVector.fromArray(F, x0, i), a0);
                    a1 = wv.fma(FloatVector.fromArray(F, x1, i), a1);
                    a2 = wv.fma(FloatVector.fromArray(F, x2, i), a2);
                    a3 = wv.fma(FloatVector.fromArray(F, x3, i), a3);
                }
            }
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD);
        out[1] = a1.reduceLanes(VectorOperators.ADD);
        out[2] = a2.reduceLanes(VectorOperators.ADD);
        out[3] = a3.reduceLanes(VectorOperators.ADD);
    }

    /** Q4_K: per 256 weights, 8 sub-blocks of 32 with 6-bit scales and minimums; weight = d·scale·q − dmin·min. */
    private static void q4_K(MemorySegment w, long at, int blocks, float[] x0, float[] x1, float[] x2, float[] x3, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++, at += 144) {
            float d = Float.float16ToFloat(w.get(Dequant.SHORT_LE, at));
            float dmin = Float.float16ToFloat(w.get(Dequant.SHORT_LE, at + 2));
            int s0 = w.get(Dequant.INT_LE, at + 4);
            int s1 = w.get(Dequant.INT_LE, at + 8);
            int s2 = w.get(Dequant.INT_LE, at + 12);
            for (int sub = 0; sub < 8; sub++) {
                FloatVector scale = FloatVector.broadcast(F, d * DotKernels.kScale(s0, s1, s2, sub));
                FloatVector min = FloatVector.broadcast(F, -dmin * DotKernels.kMin(s0, s1, s2, sub));
                // sub-blocks 2c and 2c+1 share 32 bytes: low nibbles are the first, high nibbles the second
                long qs = at + 16 + 32L * (sub / 2);
                int base = b * 256 + 32 * sub;
                for (int off = 0; off < 32; off += 16) {
                    ByteVector raw = ByteVector.fromMemorySegment(B16, w, qs + off, LE);
                    ByteVector q = (sub & 1) == 0 ? raw.and((byte) 0x0F) : DotKernels.shr(raw, 4).and((byte) 0x0F);
                    for (int p = 0; p < 16 / L; p++) {
                        FloatVector wv = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).fma(scale, min);
                        int i = base + off + p * L;
                        a0 = wv.fma(FloatVector.fromArray(F, x0, i), a0);
                        a1 = wv.fma(FloatVector.fromArray(F, x1, i), a1);
                        a2 = wv.fma(FloatVector.fromArray(F, x2, i), a2);
                        a3 = wv.fma(FloatVector.fromArray(F, x3, i), a3);
                    }
                }
            }
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD);
        out[1] = a1.reduceLanes(VectorOperators.ADD);
        out[2] = a2.reduceLanes(VectorOperators.ADD);
        out[3] = a3.reduceLanes(VectorOperators.ADD);
    }
}
