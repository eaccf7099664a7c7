package dev.coach.engine.tensor;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Plain scalar reference decoders ("dequantize to float") for the ggml tensor types this engine supports.
 *
 * <p>Every decoder follows the block layouts of ggml (llama.cpp {@code ggml-common.h} / {@code ggml-quants.c})
 * element by element, without any attempt at speed: this class is the reference that faster kernels are tested
 * against. Arithmetic is done in {@code float} in the same order as ggml's reference C code (for example
 * {@code (d * scale) * q - (dmin * min)} for Q4_K), so results are bit-for-bit what an unfused C build produces.
 *
 * <p>All multi-byte fields are little-endian and may sit at any alignment.
 */
public final class Dequant {

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Elements in one K-quant super-block (ggml's QK_K). */
    static final int QK_K = 256;

    private Dequant() {
    }

    /**
     * Decodes {@code count} consecutive elements of a tensor into {@code out[outOffset ..]}.
     *
     * @param type         the tensor's ggml type; one of F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K
     * @param data         the tensor's raw bytes, starting at element 0
     * @param firstElement index of the first element to decode; a multiple of the type's block size
     * @param count        number of elements to decode; a multiple of the type's block size
     * @throws IllegalArgumentException       if firstElement or count is negative or not block aligned
     * @throws UnsupportedOperationException  for any other type
     * @throws IndexOutOfBoundsException      if the elements are not all inside {@code data} or do not fit in {@code out}
     */
    /**
     * Checks that {@code count} elements from {@code firstElement} are whole blocks of {@code type} inside {@code data}
     * and returns the byte offset of the first; {@code name} and {@code verb} word the error ("count", "decodes").
     */
    static long blockStart(GgmlType type, MemorySegment data, long firstElement, int count, String name, String verb) {
        if (firstElement < 0 || count < 0) {
            throw new IllegalArgumentException("negative firstElement " + firstElement + " or " + name + " " + count);
        }
        int blockSize = type.blockSize();
        if (firstElement % blockSize != 0 || count % blockSize != 0) {
            throw new IllegalArgumentException(type + " " + verb + " whole blocks of " + blockSize + " elements; got firstElement "
                    + firstElement + ", " + name + " " + count);
        }
        long typeSize = type.typeSize();
        long start = Math.multiplyExact(firstElement / blockSize, typeSize);
        long end = Math.addExact(start, (long) (count / blockSize) * typeSize);
        if (end > data.byteSize()) {
            throw new IndexOutOfBoundsException("elements [" + firstElement + ", " + (firstElement + count) + ") of " + type
                    + " need bytes up to " + end + " but the segment has " + data.byteSize());
        }
        return start;
    }

    public static void row(GgmlType type, MemorySegment data, long firstElement, int count, float[] out, int outOffset) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        long start = blockStart(type, data, firstElement, count, "count", "decodes");
        Objects.checkFromIndexSize(outOffset, count, out.length);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = data.get(FLOAT_LE, start + 4L * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = f16(data.get(SHORT_LE, start + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = bf16(data.get(SHORT_LE, start + 2L * i));
                }
            }
            default -> {
                int blockSize = type.blockSize();
                long typeSize = type.typeSize();
                int blocks = count / blockSize;
                for (int b = 0; b < blocks; b++) {
                    long at = start + b * typeSize;
                    int o = outOffset + b * blockSize;
                    switch (type) {
                        case Q4_0 -> q4_0(data, at, out, o);
                        case Q4_1 -> q4_1(data, at, out, o);
                        case Q5_0 -> q5_0(data, at, out, o);
                        case Q5_1 -> q5_1(data, at, out, o);
                        case Q8_0 -> q8_0(data, at, out, o);
                        case Q4_K -> q4_K(data, at, out, o);
                        case Q5_K -> q5_K(data, at, out, o);
                        case Q6_K -> q6_K(data, at, out, o);
                        default -> throw new UnsupportedOperationException("no decoder for ggml type " + type);
                    }
                }
            }
        }
    }

    /**
     * IEEE 754 binary16 to float: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Exact for every input;
     * subnormals become normal floats, infinities stay infinite and NaNs keep their sign and payload (shifted up).
     */
    public static float f16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int fraction = h & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: fraction * 2^-24, exact in float
            float magnitude = fraction * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exponent == 0x1F) {
            // infinity (fraction 0) or NaN
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (fraction << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (fraction << 13));
    }

    /** bfloat16 to float: bfloat16 is the upper half of a float's bits, so this is exact for every input. */
    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    // ---- byte access ----

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    private static float half(MemorySegment s, long at) {
        return f16(s.get(SHORT_LE, at));
    }

    // ---- 32-element blocks ----

    /** Q4_0, 18 bytes: f16 d, u8 qs[16]. Element j &lt; 16 is the low nibble of qs[j], element j+16 the high one; x = (q - 8) * d. */
    static void q4_0(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        long qs = at + 2;
        for (int e = 0; e < 32; e++) {
            int q = nibble(s, qs, e);
            out[o + e] = (q - 8) * d;
        }
    }

    /** Q4_1, 20 bytes: f16 d, f16 m, u8 qs[16]. Nibbles as in Q4_0; x = q * d + m. */
    static void q4_1(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        float m = half(s, at + 2);
        long qs = at + 4;
        for (int e = 0; e < 32; e++) {
            int q = nibble(s, qs, e);
            out[o + e] = q * d + m;
        }
    }

    /**
     * Q5_0, 22 bytes: f16 d, u8 qh[4], u8 qs[16]. The low 4 bits as in Q4_0; bit e of qh (read as a little-endian
     * 32-bit integer) is bit 4 of element e. x = (q - 16) * d.
     */
    static void q5_0(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        int qh = s.get(INT_LE, at + 2);
        long qs = at + 6;
        for (int e = 0; e < 32; e++) {
            int q = nibble(s, qs, e) | (((qh >>> e) & 1) << 4);
            out[o + e] = (q - 16) * d;
        }
    }

    /** Q5_1, 24 bytes: f16 d, f16 m, u8 qh[4], u8 qs[16]. Bits as in Q5_0; x = q * d + m. */
    static void q5_1(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        float m = half(s, at + 2);
        int qh = s.get(INT_LE, at + 4);
        long qs = at + 8;
        for (int e = 0; e < 32; e++) {
            int q = nibble(s, qs, e) | (((qh >>> e) & 1) << 4);
            out[o + e] = q * d + m;
        }
    }

    /** Q8_0, 34 bytes: f16 d, i8 qs[32]; x = q * d. */
    static void q8_0(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        long qs = at + 2;
        for (int e = 0; e < 32; e++) {
            int q = s.get(ValueLayout.JAVA_BYTE, qs + e);
            out[o + e] = q * d;
        }
    }

    /** The 4-bit value of element e (0..31) of a 16-byte nibble array: low nibbles hold 0..15, high nibbles 16..31. */
    private static int nibble(MemorySegment s, long qs, int e) {
        int b = u8(s, qs + (e & 15));
        return e < 16 ? b & 0x0F : b >>> 4;
    }

    // ---- 256-element K-quant super-blocks ----

    /**
     * The 6-bit scale of sub-block j (0..7) from the 12 packed bytes of Q4_K / Q5_K (ggml's get_scale_min_k4).
     * Sub-blocks 0..3: low 6 bits of byte j. Sub-blocks 4..7: low nibble of byte j+4, with the top 2 bits taken
     * from bits 6..7 of byte j-4.
     */
    static int kScale(MemorySegment s, long scales, int j) {
        if (j < 4) {
            return u8(s, scales + j) & 0x3F;
        }
        return (u8(s, scales + j + 4) & 0x0F) | ((u8(s, scales + j - 4) >>> 6) << 4);
    }

    /**
     * The 6-bit min of sub-block j (0..7), packed alongside the scales. Sub-blocks 0..3: low 6 bits of byte j+4.
     * Sub-blocks 4..7: high nibble of byte j+4, with the top 2 bits taken from bits 6..7 of byte j.
     */
    static int kMin(MemorySegment s, long scales, int j) {
        if (j < 4) {
            return u8(s, scales + j + 4) & 0x3F;
        }
        return (u8(s, scales + j + 4) >>> 4) | ((u8(s, scales + j) >>> 6) << 4);
    }

    /**
     * Q4_K, 144 bytes: f16 d, f16 dmin, u8 scales[12], u8 qs[128]. Eight sub-blocks of 32; sub-blocks 2c and 2c+1
     * share qs[32c .. 32c+31] (low nibbles for 2c, high for 2c+1). x = (d * scale) * q - (dmin * min).
     */
    static void q4_K(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        float dmin = half(s, at + 2);
        long scales = at + 4;
        long qs = at + 16;
        for (int e = 0; e < QK_K; e++) {
            int sub = e / 32;
            int b = u8(s, qs + 32 * (sub / 2) + (e % 32));
            int q = (sub & 1) == 0 ? b & 0x0F : b >>> 4;
            float scale = d * kScale(s, scales, sub);
            float min = dmin * kMin(s, scales, sub);
            out[o + e] = scale * q - min;
        }
    }

    /**
     * Q5_K, 176 bytes: f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]. Low 4 bits as in Q4_K; bit 4 of
     * element e is bit (sub-block index) of qh[e % 32]. x = (d * scale) * q - (dmin * min).
     */
    static void q5_K(MemorySegment s, long at, float[] out, int o) {
        float d = half(s, at);
        float dmin = half(s, at + 2);
        long scales = at + 4;
        long qh = at + 16;
        long qs = at + 48;
        for (int e = 0; e < QK_K; e++) {
            int sub = e / 32;
            int l = e % 32;
            int b = u8(s, qs + 32 * (sub / 2) + l);
            int low = (sub & 1) == 0 ? b & 0x0F : b >>> 4;
            int high = (u8(s, qh + l) >>> sub) & 1;
            int q = low | (high << 4);
            float scale = d * kScale(s, scales, sub);
            float min = dmin * kMin(s, scales, sub);
            out[o + e] = scale * q - min;
        }
    }

    /**
     * Q6_K, 210 bytes: u8 ql[128], u8 qh[64], i8 scales[16], f16 d (last). Two halves of 128 elements; in half h,
     * element r (0..127) is in group g = r / 32 at lane l = r % 32: its low 4 bits are the low (g &lt; 2) or high
     * (g &ge; 2) nibble of ql[64h + 32(g % 2) + l], its top 2 bits are bits 2g..2g+1 of qh[32h + l]. Each run of
     * 16 elements has its own signed 8-bit scale. x = (d * scale) * (q - 32).
     */
    static void q6_K(MemorySegment s, long at, float[] out, int o) {
        long ql = at;
        long qh = at + 128;
        long scales = at + 192;
        float d = half(s, at + 208);
        for (int e = 0; e < QK_K; e++) {
            int h = e / 128;
            int r = e % 128;
            int g = r / 32;
            int l = r % 32;
            int lowByte = u8(s, ql + 64 * h + 32 * (g % 2) + l);
            int low = g < 2 ? lowByte & 0x0F : lowByte >>> 4;
            int high = (u8(s, qh + 32 * h + l) >>> (2 * g)) & 3;
            int q = (low | (high << 4)) - 32;
            int scale = s.get(ValueLayout.JAVA_BYTE, scales + e / 16);
            out[o + e] = (d * scale) * q;
        }
    }
}
