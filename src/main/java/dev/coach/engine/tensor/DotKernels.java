package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 *   <li><b>Q4_1, Q5_0, Q5_1</b>: like Q4_0, straight from the packed bytes: nibbles split in byte lanes (shifts are
 *       done on the same bits viewed as int lanes, since x86 has no byte shifts, and the bits that cross from the
 *       neighbouring byte are masked off); for Q5_* the fifth bit of each element is taken from the block's 32-bit
 *       {@code qh} word, broadcast to int lanes and shifted by each lane's element index. The small integer code is
 *       turned into the weight with one fma ({@code q * d + m}, or {@code q * d - 16 d} for Q5_0, which is exactly
 *       the reference's {@code (q - 16) * d}), then fma'd with {@code x}.</li>
 *   <li><b>Q4_K, Q5_K</b>: per 256-element super-block the eight 6-bit scales and mins are unpacked from the 12
 *       scale bytes as scalars; the nibbles (and for Q5_K the fifth bits, moved into bit 4 in byte lanes) give
 *       byte codes, and each weight is {@code q * (d * scale) - dmin * min} with one fma.</li>
 *   <li><b>Q6_K</b>: groups g and g + 2 of each 128-element half share one load of {@code ql} (low and high
 *       nibbles); the matching 2-bit fields of {@code qh} are moved into bits 4..5; 32 is subtracted in byte lanes
 *       and the signed code is multiplied by {@code d * scale} of its 16-element run.</li>
 * </ul>
 * There is no per-block float scratch: bytes go from the segment into vector registers and become floats there.
 *
 * <p>Species: floats use {@link FloatVector#SPECIES_PREFERRED} ({@code L} lanes: 16 with AVX-512, 8 with AVX2, 4 with
 * SSE or NEON); packed bytes are loaded {@code max(8, L)} at a time, so one byte load feeds one (or, for {@code L = 4},
 * two) float vectors. On a platform whose preferred float shape does not allow those byte and short species (for
 * example a very wide or non-power-of-two SVE shape), every non-F32 type falls back to decoding a block with the
 * scalar {@link Dequant#row} into a small scratch array followed by a vector float dot.
 *
 * <p>Implementation note: the Vector API is only fast when HotSpot's C2 inlines every vector operation of a loop into
 * one compiled method; a vector that crosses a call which is not inlined is boxed on the heap, which is several times
 * slower. C2 stops inlining once a method's intermediate graph grows past a fixed node budget, and each vector
 * operation costs many nodes before it is reduced to an instruction. So the kernels are written compactly: tiny
 * helpers, constants as ready vectors, and where two copies of a loop body would push a kernel over the budget
 * (Q5_K and Q6_K with 4 float lanes), a two-iteration loop with alternating accumulators instead.
 * {@code DotKernelsBench} reports heap allocation per run, which is zero when nothing was boxed.
 *
 * <p>Results are computed in float with a different summation order (and, for Q8_0/Q4_0, with the scale applied per
 * block rather than per element; elsewhere with a fused rather than a separately rounded multiply-add when forming a
 * weight) than a sequential sum of {@link Dequant#row} values times {@code x}, so they agree with it only up to float
 * rounding, not bit for bit.
 *
 * <p>{@link #matVec} is the matrix-vector entry point for the forward pass: it multiplies a contiguous range of rows
 * by one vector on the calling thread, so callers can split the rows among their own threads.
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
    /** Whether the quantized kernels can be used (a block's 16 packed bytes are a whole number of B loads). */
    private static final boolean QUANT_VECTOR = B != null && 16 % B_LANES == 0 && B_LANES % L == 0;
    // byte constants as ready vectors: fewer nodes per use than broadcasting a scalar each time, which keeps the
    // big kernels inside HotSpot's inlining budget
    private static final ByteVector LOW_NIBBLE = B == null ? null : ByteVector.broadcast(B, (byte) 0x0F);
    private static final ByteVector BIT_4 = B == null ? null : ByteVector.broadcast(B, (byte) 0x10);
    private static final ByteVector BITS_4_5 = B == null ? null : ByteVector.broadcast(B, (byte) 0x30);
    private static final ByteVector EIGHT = B == null ? null : ByteVector.broadcast(B, (byte) 8);
    private static final ByteVector THIRTY_TWO = B == null ? null : ByteVector.broadcast(B, (byte) 32);
    /** 0, 1, .., 31: the element index within a 32-element block, loaded L at a time as per-lane shift counts. */
    private static final int[] ELEMENT_INDEX = java.util.stream.IntStream.range(0, 32).toArray();

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
        if (!type.supported()) {
            throw new UnsupportedOperationException("no dot kernel for ggml type " + type);
        }
        long start = Dequant.blockStart(type, row, firstElement, n, "n", "works on");
        Objects.checkFromIndexSize(xOffset, n, x.length);
        return kernel(type, row, start, x, xOffset, n);
    }

    /**
     * Multiplies rows {@code [firstRow, endRow)} of a {@code rows x cols} matrix by {@code x}: {@code out[r]} becomes
     * the dot product of row {@code r} with {@code x[0 .. cols)}. Rows are stored one after the other, each as
     * {@code cols} elements of {@code type} ({@code cols / blockSize * typeSize} bytes), starting at byte 0 of
     * {@code weights}, as in a GGUF tensor whose first dimension is {@code cols}. Runs on the calling thread; to use
     * several threads, give each a disjoint row range (the other entries of {@code out} are not touched).
     *
     * @param type one of F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K
     * @param cols elements per row; for block types a multiple of the block size
     * @param out  receives one value per row; at least {@code rows} long
     * @throws IllegalArgumentException      if a size is negative, cols is not block aligned or the row range is not
     *                                       inside {@code [0, rows]}
     * @throws UnsupportedOperationException for any other type
     * @throws IndexOutOfBoundsException     if {@code weights} is smaller than the matrix, {@code x} shorter than
     *                                       {@code cols} or {@code out} shorter than {@code rows}
     */
    public static void matVec(GgmlType type, MemorySegment weights, int rows, int cols, float[] x, float[] out,
            int firstRow, int endRow) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(out, "out");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative matrix size " + rows + " x " + cols);
        }
        if (firstRow < 0 || firstRow > endRow || endRow > rows) {
            throw new IllegalArgumentException("row range [" + firstRow + ", " + endRow + ") is not inside the "
                    + rows + " rows of the matrix");
        }
        if (!type.supported()) {
            throw new UnsupportedOperationException("no dot kernel for ggml type " + type);
        }
        long rowBytes = type.bytesFor(cols);
        if (rowBytes < 0) {
            throw new IllegalArgumentException(type + " rows must be whole blocks of " + type.blockSize()
                    + " elements; got " + cols + " columns");
        }
        long matrixBytes = Math.multiplyExact(rowBytes, (long) rows);
        if (matrixBytes > weights.byteSize()) {
            throw new IndexOutOfBoundsException("a " + rows + " x " + cols + " " + type + " matrix needs " + matrixBytes
                    + " bytes but the weight segment has " + weights.byteSize());
        }
        if (x.length < cols) {
            throw new IndexOutOfBoundsException("x has " + x.length + " elements but the matrix has " + cols + " columns");
        }
        if (out.length < rows) {
            throw new IndexOutOfBoundsException("out has " + out.length + " elements but the matrix has " + rows + " rows");
        }
        for (int r = firstRow; r < endRow; r++) {
            out[r] = kernel(type, weights, r * rowBytes, x, 0, cols);
        }
    }

    /** {@link #matVec(GgmlType, MemorySegment, int, int, float[], float[], int, int)} for all rows, on this thread. */
    public static void matVec(GgmlType type, MemorySegment weights, int rows, int cols, float[] x, float[] out) {
        matVec(type, weights, rows, cols, x, out, 0, rows);
    }

    /** The dot product of n elements starting at byte {@code start} (a block boundary) with x; arguments checked. */
    private static float kernel(GgmlType type, MemorySegment row, long start, float[] x, int xo, int n) {
        if (type == GgmlType.F32) {
            return f32(row, start, x, xo, n);
        }
        boolean vectorOk = type.blockSize() == 1 ? S != null : QUANT_VECTOR;
        if (!vectorOk) {
            long firstElement = start / type.typeSize() * type.blockSize();
            return viaDequant(type, row, firstElement, x, xo, n);
        }
        int blocks = n / type.blockSize();
        return switch (type) {
            case F16 -> f16(row, start, x, xo, n);
            case BF16 -> bf16(row, start, x, xo, n);
            case Q8_0 -> q8_0(row, start, x, xo, blocks);
            case Q4_0 -> q4_0(row, start, x, xo, blocks);
            case Q4_1 -> q4_1(row, start, x, xo, blocks);
            case Q5_0 -> q5(row, start, x, xo, blocks, false);
            case Q5_1 -> q5(row, start, x, xo, blocks, true);
            case Q4_K -> q4_K(row, start, x, xo, blocks);
            case Q5_K -> q5_K(row, start, x, xo, blocks);
            case Q6_K -> q6_K(row, start, x, xo, blocks);
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
            float d = half(row, at);
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
            float d = half(row, at);
            long qs = at + 2;
            int xb = xo + 32 * b;
            FloatVector blockSum = FloatVector.zero(F);
            for (int off = 0; off < 16; off += B_LANES) {
                ByteVector raw = ByteVector.fromMemorySegment(B, row, qs + off, LE);
                ByteVector low = lowNibbles(raw).sub(EIGHT);
                ByteVector high = highNibbles(raw).sub(EIGHT);
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

    // ---- helpers for the packed formats ----

    private static float half(MemorySegment row, long at) {
        // the JDK conversion is exact and agrees with Dequant.f16 for every code (HalfFloatTest), and is intrinsified
        return Float.float16ToFloat(row.get(Dequant.SHORT_LE, at));
    }

    private static ByteVector bytes(MemorySegment row, long at) {
        return ByteVector.fromMemorySegment(B, row, at, LE);
    }

    /** Lanes part*L .. part*L+L-1 of a byte vector as floats (signed bytes). */
    private static FloatVector toFloat(ByteVector v, int part) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, part);
    }

    // The helpers below are kept tiny (under HotSpot's 35-byte always-inline limit): a Vector API value that crosses a
    // call which is not inlined gets boxed on the heap, which is an order of magnitude slower.

    /**
     * Shifts every byte of {@code v} left by {@code n} (0..7) bits. The shift is done on int lanes (x86 has no byte
     * shifts), so the top bits of the next-lower byte move into the vacated low bits; callers mask those off.
     */
    private static ByteVector shl(ByteVector v, int n) {
        return v.reinterpretAsInts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes();
    }

    /** As {@link #shl} but to the right: the low bits of the next-higher byte move into the vacated high bits. */
    static ByteVector shr(ByteVector v, int n) {
        return v.reinterpretAsInts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes();
    }

    private static ByteVector lowNibbles(ByteVector raw) {
        return raw.and(LOW_NIBBLE);
    }

    private static ByteVector highNibbles(ByteVector raw) {
        return shr(raw, 4).and(LOW_NIBBLE);
    }

    // ---- 32-element blocks with a min or a fifth bit ----

    /** Q4_1, 20 bytes: f16 d, f16 m, u8 qs[16]; nibbles as in Q4_0; x = q * d + m. */
    private static float q4_1(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 20L * b;
            FloatVector d = FloatVector.broadcast(F, half(row, at));
            FloatVector m = FloatVector.broadcast(F, half(row, at + 2));
            long qs = at + 4;
            int xb = xo + 32 * b;
            for (int off = 0; off < 16; off += B_LANES) {
                ByteVector raw = bytes(row, qs + off);
                ByteVector low = lowNibbles(raw);
                ByteVector high = highNibbles(raw);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = off + p * L;
                    acc0 = toFloat(low, p).fma(d, m).fma(FloatVector.fromArray(F, x, xb + e), acc0);
                    acc1 = toFloat(high, p).fma(d, m).fma(FloatVector.fromArray(F, x, xb + 16 + e), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Q5_0, 22 bytes: f16 d, u32 qh, u8 qs[16]; x = (q - 16) * d. Q5_1, 24 bytes: f16 d, f16 m, u32 qh, u8 qs[16];
     * x = q * d + m. Low 4 bits as in Q4_0, bit 4 of element e is bit e of qh.
     */
    private static float q5(MemorySegment row, long start, float[] x, int xo, int blocks, boolean withMin) {
        int blockBytes = withMin ? 24 : 22;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + (long) blockBytes * b;
            float dScalar = half(row, at);
            // for Q5_0, q * d + (-16 d) rounds once from the exact (q - 16) * d: the reference value, bit for bit
            float base = withMin ? half(row, at + 2) : -16 * dScalar;
            long qhAt = withMin ? at + 4 : at + 2;
            IntVector qh = IntVector.broadcast(I, row.get(Dequant.INT_LE, qhAt));
            long qs = qhAt + 4;
            FloatVector d = FloatVector.broadcast(F, dScalar);
            FloatVector m = FloatVector.broadcast(F, base);
            int xb = xo + 32 * b;
            for (int off = 0; off < 16; off += B_LANES) {
                ByteVector raw = bytes(row, qs + off);
                ByteVector low = lowNibbles(raw);
                ByteVector high = highNibbles(raw);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = off + p * L;
                    // bit 4 of element i is bit i of qh: shift each lane's own bit down to bit 0, then up to bit 4
                    IntVector lowBit4 = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, e))
                            .lanewise(VectorOperators.LSHL, 4).and(0x10);
                    IntVector highBit4 = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, 16 + e))
                            .lanewise(VectorOperators.LSHL, 4).and(0x10);
                    IntVector q0 = ((IntVector) low.convertShape(VectorOperators.B2I, I, p)).or(lowBit4);
                    IntVector q1 = ((IntVector) high.convertShape(VectorOperators.B2I, I, p)).or(highBit4);
                    FloatVector w0 = ((FloatVector) q0.convert(VectorOperators.I2F, 0)).fma(d, m);
                    FloatVector w1 = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).fma(d, m);
                    acc0 = w0.fma(FloatVector.fromArray(F, x, xb + e), acc0);
                    acc1 = w1.fma(FloatVector.fromArray(F, x, xb + 16 + e), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    // ---- 256-element K-quant super-blocks ----

    /**
     * The 6-bit scale of sub-block j (0..7) of Q4_K / Q5_K, from the 12 scale bytes read as three little-endian ints
     * (bytes 0..3, 4..7, 8..11). j &lt; 4: low 6 bits of byte j. j &ge; 4: low nibble of byte j+4, top two bits from
     * bits 6..7 of byte j-4.
     */
    static int kScale(int s0, int s1, int s2, int j) {
        if (j < 4) {
            return (s0 >>> (8 * j)) & 0x3F;
        }
        int k = 8 * (j - 4);
        return ((s2 >>> k) & 0x0F) | (((s0 >>> (k + 6)) & 3) << 4);
    }

    /** The 6-bit min of sub-block j: j &lt; 4: low 6 bits of byte j+4; j &ge; 4: high nibble of byte j+4, top bits from byte j. */
    static int kMin(int s0, int s1, int s2, int j) {
        if (j < 4) {
            return (s1 >>> (8 * j)) & 0x3F;
        }
        int k = 8 * (j - 4);
        return ((s2 >>> (k + 4)) & 0x0F) | (((s1 >>> (k + 6)) & 3) << 4);
    }

    /**
     * Q4_K, 144 bytes: f16 d, f16 dmin, u8 scales[12], u8 qs[128]. Sub-blocks 2c and 2c+1 (32 elements each) are the
     * low and high nibbles of qs[32c .. 32c+31]; x = (d * scale) * q - dmin * min.
     */
    private static float q4_K(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 144L * b;
            float d = half(row, at);
            float dmin = half(row, at + 2);
            int s0 = row.get(Dequant.INT_LE, at + 4);
            int s1 = row.get(Dequant.INT_LE, at + 8);
            int s2 = row.get(Dequant.INT_LE, at + 12);
            long qs = at + 16;
            int xb = xo + 256 * b;
            for (int c = 0; c < 4; c++) {
                FloatVector scale0 = FloatVector.broadcast(F, d * kScale(s0, s1, s2, 2 * c));
                FloatVector min0 = FloatVector.broadcast(F, -(dmin * kMin(s0, s1, s2, 2 * c)));
                FloatVector scale1 = FloatVector.broadcast(F, d * kScale(s0, s1, s2, 2 * c + 1));
                FloatVector min1 = FloatVector.broadcast(F, -(dmin * kMin(s0, s1, s2, 2 * c + 1)));
                int xc = xb + 64 * c;
                for (int off = 0; off < 32; off += B_LANES) {
                    ByteVector raw = bytes(row, qs + 32 * c + off);
                    ByteVector low = lowNibbles(raw);
                    ByteVector high = highNibbles(raw);
                    for (int p = 0; p < B_PARTS; p++) {
                        int e = off + p * L;
                        acc0 = toFloat(low, p).fma(scale0, min0).fma(FloatVector.fromArray(F, x, xc + e), acc0);
                        acc1 = toFloat(high, p).fma(scale1, min1).fma(FloatVector.fromArray(F, x, xc + 32 + e), acc1);
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Q5_K, 176 bytes: f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]. As Q4_K, plus bit 4 of element l of
     * sub-block j is bit j of qh[l].
     */
    private static float q5_K(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 176L * b;
            float d = half(row, at);
            float dmin = half(row, at + 2);
            int s0 = row.get(Dequant.INT_LE, at + 4);
            int s1 = row.get(Dequant.INT_LE, at + 8);
            int s2 = row.get(Dequant.INT_LE, at + 12);
            long qhAt = at + 16;
            long qs = at + 48;
            int xb = xo + 256 * b;
            for (int c = 0; c < 4; c++) {
                FloatVector scale0 = FloatVector.broadcast(F, d * kScale(s0, s1, s2, 2 * c));
                FloatVector min0 = FloatVector.broadcast(F, -(dmin * kMin(s0, s1, s2, 2 * c)));
                FloatVector scale1 = FloatVector.broadcast(F, d * kScale(s0, s1, s2, 2 * c + 1));
                FloatVector min1 = FloatVector.broadcast(F, -(dmin * kMin(s0, s1, s2, 2 * c + 1)));
                for (int off = 0; off < 32; off += B_LANES) {
                    ByteVector raw = bytes(row, qs + 32 * c + off);
                    // bits 2c and 2c+1 of qh, moved down to bits 0 and 1
                    ByteVector qh = shr(bytes(row, qhAt + off), 2 * c);
                    // k = 0: low nibbles, sub-block 2c, fifth bit from bit 0; k = 1: high nibbles, sub-block 2c+1,
                    // fifth bit from bit 1. A loop rather than two copies keeps the method small enough for HotSpot
                    // to inline every vector operation (with two copies it did not at 4 float lanes, and boxed
                    // vectors made the kernel four times slower); the two accumulators alternate
                    for (int k = 0; k < 2; k++) {
                        ByteVector code = shr(raw, 4 * k).and(LOW_NIBBLE).or(shl(qh, 4 - k).and(BIT_4));
                        FloatVector scale = k == 0 ? scale0 : scale1;
                        FloatVector min = k == 0 ? min0 : min1;
                        int xk = xb + 64 * c + 32 * k + off;
                        for (int p = 0; p < B_PARTS; p++) {
                            acc0 = toFloat(code, p).fma(scale, min).fma(FloatVector.fromArray(F, x, xk + p * L), acc0);
                        }
                        FloatVector t = acc0;
                        acc0 = acc1;
                        acc1 = t;
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Q6_K, 210 bytes: u8 ql[128], u8 qh[64], i8 scales[16], f16 d. In half h (128 elements), lane l (0..31) of
     * group g (0..3) has low 4 bits from the low (g &lt; 2) or high nibble of ql[64h + 32(g % 2) + l] and top 2 bits
     * from bits 2g..2g+1 of qh[32h + l]; x = d * scale[run of 16] * (q - 32). One pass handles groups g and g + 2,
     * which share the ql bytes.
     */
    private static float q6_K(MemorySegment row, long start, float[] x, int xo, int blocks) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long at = start + 210L * b;
            float d = half(row, at + 208);
            for (int h = 0; h < 2; h++) {
                int xh = xo + 256 * b + 128 * h;
                long scales = at + 192 + 8 * h;
                for (int g = 0; g < 2; g++) {
                    for (int off = 0; off < 32; off += B_LANES) {
                        ByteVector ql = bytes(row, at + 64 * h + 32 * g + off);
                        // bits 2g..2g+1 of qh moved down to bits 0..1 (group g) and bits 2g+4..2g+5 to 4..5 (g + 2)
                        ByteVector qh = shr(bytes(row, at + 128 + 32 * h + off), 2 * g);
                        // k = 0: group g (low nibbles, qh bits moved up to 4..5); k = 1: group g + 2 (high nibbles)
                        for (int k = 0; k < 2; k++) {
                            // code - 32 in byte lanes: 6-bit codes 0..63 become -32..31
                            ByteVector code = shr(ql, 4 * k).and(LOW_NIBBLE).or(shl(qh, 4 - 4 * k).and(BITS_4_5))
                                    .sub(THIRTY_TWO);
                            // B_LANES divides 16, so these B_LANES elements share one scale
                            long run = scales + 2 * g + 4 * k + off / 16;
                            FloatVector scale = FloatVector.broadcast(F, d * row.get(ValueLayout.JAVA_BYTE, run));
                            int xk = xh + 32 * g + 64 * k + off;
                            for (int p = 0; p < B_PARTS; p++) {
                                acc0 = toFloat(code, p).mul(scale).fma(FloatVector.fromArray(F, x, xk + p * L), acc0);
                            }
                            FloatVector t = acc0;
                            acc0 = acc1;
                            acc1 = t;
                        }
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
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
