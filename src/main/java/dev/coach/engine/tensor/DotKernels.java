package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of a stretch of a (possibly quantized) ggml tensor row with a float vector, using the Vector API.
 *
 * <p>How each type is computed:
 * <ul>
 *   <li><b>F32</b>: floats are loaded straight from the segment ({@link FloatVector#fromMemorySegment}, little-endian)
 *       and fused-multiply-added with {@code x}; scalar tail for the last {@code n % lanes} elements.</li>
 *   <li><b>F16, BF16</b>: the 16-bit codes are loaded as a {@link ShortVector}, widened to ints and turned into float
 *       bits lane-wise (BF16: shift left 16; F16: exponent re-bias with exact handling of zeros, subnormals,
 *       infinities and NaNs), then fma'd; scalar tail using {@link Dequant#f16} / {@link Dequant#bf16}.</li>
 *   <li><b>Q8_0</b>: per 32-element block the int8 codes are loaded as a {@link ByteVector}, converted to floats
 *       ({@code B2F}) and fma'd with {@code x}; the block's lane sums are then scaled by the block's f16 {@code d}
 *       into the running vector accumulator.</li>
 *   <li><b>Q4_0</b>: as Q8_0, after unpacking the low nibbles (elements 0..15) and high nibbles (16..31) and
 *       subtracting 8 in byte lanes.</li>
 *   <li><b>Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K</b>: <em>not</em> specially vectorised. Each block is decoded with the
 *       scalar reference {@link Dequant#row} into a small per-call scratch {@code float[]}, followed by a
 *       vectorised float dot of the scratch with {@code x}. Correct but not fast.</li>
 * </ul>
 * On a platform whose preferred float vector shape does not allow the byte/short species used above (for example
 * a very wide or non-power-of-two SVE shape), F16/BF16 and Q8_0/Q4_0 fall back to the decode-then-dot path.
 *
 * <p>Results are computed in float with a different summation order (and, for Q8_0/Q4_0, with the scale applied per
 * block rather than per element) than a sequential sum of {@link Dequant#row} values times {@code x}, so they agree
 * with it only up to float rounding, not bit for bit.
 */
public final class DotKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Ints with the same shape (and lane count) as {@link #F}. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shorts with {@link #L} lanes, or null if no such shape exists. */
    private static final VectorSpecies<Short> S = speciesOrNull(short.class, L * 16);
    /** Bytes with max(8, L) lanes, or null; one load of it gives {@link #B_PARTS} float vectors. */
    private static final VectorSpecies<Byte> B = L <= 16 ? speciesOrNull(byte.class, Math.max(8, L) * 8) : null;
    private static final int B_LANES = B == null ? 0 : B.length();
    private static final int B_PARTS = B == null ? 0 : B_LANES / L;
    /** Whether the Q8_0 / Q4_0 kernels can be used (a block's 16 packed bytes are a whole number of B loads). */
    private static final boolean QUANT_VECTOR = B != null && 16 % B_LANES == 0 && B_LANES % L == 0;

    private DotKernels() {
    }

    private static <E> VectorSpecies<E> speciesOrNull(Class<E> element, int bits) {
        try {
            return VectorSpecies.of(element, VectorShape.forBitSize(bits));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Returns the sum over {@code i < n} of {@code w[firstElement + i] * x[xOffset + i]}, where {@code w} is the tensor
     * stored in {@code row} (raw little-endian ggml block bytes starting at element 0).
     *
     * @param type         one of F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K
     * @param firstElement index of the first weight; for block types a multiple of the block size
     * @param n            number of elements; for block types a multiple of the block size
     * @throws IllegalArgumentException      if firstElement or n is negative or (block types) not block aligned
     * @throws UnsupportedOperationException for any other type
     * @throws IndexOutOfBoundsException     if the weights are not all inside {@code row} or {@code x} is too short
     */
    public static float dot(GgmlType type, MemorySegment row, long firstElement, float[] x, int xOffset, int n) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(x, "x");
        if (firstElement < 0 || n < 0) {
            throw new IllegalArgumentException("negative firstElement " + firstElement + " or n " + n);
        }
        int blockSize = type.blockSize();
        if (firstElement % blockSize != 0 || n % blockSize != 0) {
            throw new IllegalArgumentException(type + " works on whole blocks of " + blockSize + " elements; got firstElement "
                    + firstElement + ", n " + n);
        }
        Objects.checkFromIndexSize(xOffset, n, x.length);
        long typeSize = type.typeSize();
        long start = Math.multiplyExact(firstElement / blockSize, typeSize);
        int blocks = n / blockSize;
        long end = Math.addExact(start, blocks * typeSize);
        if (end > row.byteSize()) {
            throw new IndexOutOfBoundsException("elements [" + firstElement + ", " + (firstElement + n) + ") of " + type
                    + " need bytes up to " + end + " but the segment has " + row.byteSize());
        }
        return switch (type) {
            case F32 -> f32(row, start, x, xOffset, n);
            case F16 -> S != null ? f16(row, start, x, xOffset, n) : viaDequant(type, row, firstElement, x, xOffset, n);
            case BF16 -> S != null ? bf16(row, start, x, xOffset, n) : viaDequant(type, row, firstElement, x, xOffset, n);
            case Q8_0 -> QUANT_VECTOR ? q8_0(row, start, x, xOffset, blocks) : viaDequant(type, row, firstElement, x, xOffset, n);
            case Q4_0 -> QUANT_VECTOR ? q4_0(row, start, x, xOffset, blocks) : viaDequant(type, row, firstElement, x, xOffset, n);
            case Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> viaDequant(type, row, firstElement, x, xOffset, n);
            default -> throw new UnsupportedOperationException("no dot kernel for ggml type " + type);
        };
    }

    // ---- plain float types ----

    private static float f32(MemorySegment row, long start, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector w = FloatVector.fromMemorySegment(F, row, start + 4L * i, LE);
            acc = w.fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += row.get(Dequant.FLOAT_LE, start + 4L * i) * x[xo + i];
        }
        return sum;
    }

    private static float f16(MemorySegment row, long start, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, row, start + 2L * i, LE);
            acc = f16ToFloat(h).fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += Dequant.f16(row.get(Dequant.SHORT_LE, start + 2L * i)) * x[xo + i];
        }
        return sum;
    }

    private static float bf16(MemorySegment row, long start, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, row, start + 2L * i, LE);
            IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
            FloatVector w = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            acc = w.fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += Dequant.bf16(row.get(Dequant.SHORT_LE, start + 2L * i)) * x[xo + i];
        }
        return sum;
    }

    /**
     * IEEE binary16 to float, lane-wise and exact (same results as {@link Dequant#f16}). The 15 magnitude bits shifted
     * up by 13 are a float whose exponent is biased by 127 instead of 15; multiplying by 2^112 re-biases it, exactly,
     * for normals and for subnormals (which are float subnormals before the multiply). Infinities and NaNs (exponent
     * 31) get the all-ones float exponent instead. The sign is OR-ed in last.
     */
    private static FloatVector f16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        IntVector result = finite.blend(shifted.or(0x7F80_0000), special);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return result.or(sign).reinterpretAsFloats();
    }

    // ---- 32-element quantized blocks, truly vectorised ----

    /** Q8_0, 34 bytes: f16 d, i8 qs[32]. */
    private static float q8_0(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 34L * b;
            float d = Dequant.f16(row.get(Dequant.SHORT_LE, at));
            long qs = at + 2;
            int xb = xo + 32 * b;
            FloatVector blockSum = FloatVector.zero(F);
            for (int off = 0; off < 32; off += B_LANES) {
                ByteVector q = ByteVector.fromMemorySegment(B, row, qs + off, LE);
                for (int p = 0; p < B_PARTS; p++) {
                    FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
                    blockSum = w.fma(FloatVector.fromArray(F, x, xb + off + p * L), blockSum);
                }
            }
            acc = blockSum.fma(FloatVector.broadcast(F, d), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Q4_0, 18 bytes: f16 d, u8 qs[16]; element j &lt; 16 is the low nibble of qs[j], j+16 the high one; (q - 8) * d. */
    private static float q4_0(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 18L * b;
            float d = Dequant.f16(row.get(Dequant.SHORT_LE, at));
            long qs = at + 2;
            int xb = xo + 32 * b;
            FloatVector blockSum = FloatVector.zero(F);
            for (int off = 0; off < 16; off += B_LANES) {
                ByteVector raw = ByteVector.fromMemorySegment(B, row, qs + off, LE);
                ByteVector low = raw.and((byte) 0x0F).sub((byte) 8);
                ByteVector high = raw.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                for (int p = 0; p < B_PARTS; p++) {
                    FloatVector wl = (FloatVector) low.convertShape(VectorOperators.B2F, F, p);
                    blockSum = wl.fma(FloatVector.fromArray(F, x, xb + off + p * L), blockSum);
                    FloatVector wh = (FloatVector) high.convertShape(VectorOperators.B2F, F, p);
                    blockSum = wh.fma(FloatVector.fromArray(F, x, xb + 16 + off + p * L), blockSum);
                }
            }
            acc = blockSum.fma(FloatVector.broadcast(F, d), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    // ---- everything else: decode a block with the reference, then a vectorised float dot ----

    private static float viaDequant(GgmlType type, MemorySegment row, long firstElement, float[] x, int xo, int n) {
        int blockSize = type.blockSize();
        // one block at a time for block types; bounded chunks for the element types (used only without ShortVector)
        int chunk = blockSize > 1 ? blockSize : 256;
        float[] scratch = new float[Math.min(chunk, Math.max(n, 1))];
        float sum = 0;
        for (int done = 0; done < n; ) {
            int count = Math.min(scratch.length, n - done);
            Dequant.row(type, row, firstElement + done, count, scratch, 0);
            sum += dotArrays(scratch, x, xo + done, count);
            done += count;
        }
        return sum;
    }

    private static float dotArrays(float[] w, float[] x, int xo, int len) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            acc = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += w[i] * x[xo + i];
        }
        return sum;
    }
}
