package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coach.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Blocks built byte by byte, with the decoded values worked out by hand from the ggml block definitions. */
class DequantHandBuiltTest {

    private static float[] decode(GgmlType type, Bytes bytes, int count) {
        float[] out = new float[count];
        Dequant.row(type, bytes.segment(), 0, count, out, 0);
        return out;
    }

    private static void assertExact(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    @Test
    void f32ReadsLittleEndianFloats() {
        Bytes b = new Bytes(13);
        b.u8(0, 0x7A); // one byte of padding so the floats are unaligned
        b.f32(1, 1.5f).f32(5, -0.0f).f32(9, Float.NEGATIVE_INFINITY);
        float[] out = new float[3];
        Dequant.row(GgmlType.F32, b.segment().asSlice(1), 0, 3, out, 0);
        assertExact(1.5f, out[0], "0");
        assertExact(-0.0f, out[1], "1");
        assertExact(Float.NEGATIVE_INFINITY, out[2], "2");
        // 1.5f is 0x3FC00000: the last byte in memory is the most significant
        assertEquals((byte) 0x3F, b.a[4]);
    }

    @Test
    void f16AndBf16RowsReadLittleEndianShorts() {
        Bytes b = new Bytes(8).u16(0, 0x3C00).u16(2, 0xC000).u16(4, 0x0001).u16(6, 0x7C00);
        float[] out = new float[6];
        Dequant.row(GgmlType.F16, b.segment(), 1, 3, out, 2);
        assertArrayEquals(new float[] {0, 0, -2.0f, 0x1p-24f, Float.POSITIVE_INFINITY, 0}, out);

        Bytes c = new Bytes(6).u16(0, 0x3F80).u16(2, 0x4049).u16(4, 0xFF80);
        assertArrayEquals(new float[] {1.0f, 3.140625f, Float.NEGATIVE_INFINITY}, decode(GgmlType.BF16, c, 3));
    }

    @Test
    void q4_0() {
        // d = 0.5; qs[j] = low nibble j, high nibble 15 - j
        Bytes b = new Bytes(18).f16(0, 0.5f);
        for (int j = 0; j < 16; j++) {
            b.u8(2 + j, j | ((15 - j) << 4));
        }
        float[] out = decode(GgmlType.Q4_0, b, 32);
        assertExact(-4.0f, out[0], "element 0 = (0 - 8) * 0.5");
        assertExact(-3.5f, out[1], "element 1 = (1 - 8) * 0.5");
        assertExact(0.0f, out[8], "element 8 = (8 - 8) * 0.5");
        assertExact(3.5f, out[15], "element 15 = (15 - 8) * 0.5");
        assertExact(3.5f, out[16], "element 16 = high nibble of qs[0] = 15");
        assertExact(-4.0f, out[31], "element 31 = high nibble of qs[15] = 0");
        for (int j = 0; j < 16; j++) {
            assertExact((j - 8) * 0.5f, out[j], "low " + j);
            assertExact((7 - j) * 0.5f, out[16 + j], "high " + j);
        }
    }

    @Test
    void q4_1() {
        // d = 0.25, m = -1; qs[0] = 0xF3, qs[1] = 0x0C, rest 0
        Bytes b = new Bytes(20).f16(0, 0.25f).f16(2, -1.0f).u8(4, 0xF3).u8(5, 0x0C);
        float[] out = decode(GgmlType.Q4_1, b, 32);
        assertExact(-0.25f, out[0], "3 * 0.25 - 1");
        assertExact(2.0f, out[1], "12 * 0.25 - 1");
        assertExact(-1.0f, out[2], "0 * 0.25 - 1");
        assertExact(2.75f, out[16], "15 * 0.25 - 1");
        assertExact(-1.0f, out[17], "0 * 0.25 - 1");
        for (int e = 2; e < 32; e++) {
            if (e != 16 && e != 17) {
                assertExact(-1.0f, out[e], "element " + e);
            }
        }
    }

    @Test
    void q5_0UsesQhBitJForElementJ() {
        // d = 0.5; fifth bits for elements 0, 5, 16, 31; qs[15] = 0xF0 (element 31 low part 15), rest 0
        int qh = (1 << 0) | (1 << 5) | (1 << 16) | (1 << 31);
        Bytes b = new Bytes(22).f16(0, 0.5f).u32(2, qh).u8(6 + 15, 0xF0).u8(6 + 3, 0x07);
        // qh as bytes, to be sure of the byte order: 0x21, 0x00, 0x01, 0x80
        assertEquals((byte) 0x21, b.a[2]);
        assertEquals((byte) 0x80, b.a[5]);
        float[] out = decode(GgmlType.Q5_0, b, 32);
        assertExact(0.0f, out[0], "q = 16 -> 0");
        assertExact(-8.0f, out[1], "q = 0 -> -16 * 0.5");
        assertExact(-4.5f, out[3], "q = 7 -> -9 * 0.5");
        assertExact(0.0f, out[5], "q = 16");
        assertExact(-8.0f, out[15], "low nibble of qs[15] is 0, bit 15 clear");
        assertExact(0.0f, out[16], "bit 16 set, high nibble of qs[0] is 0");
        assertExact(-8.0f, out[19], "high nibble of qs[3] is 0, bit 19 clear");
        assertExact(7.5f, out[31], "q = 15 | 16 = 31 -> 15 * 0.5");
    }

    @Test
    void q5_1() {
        // d = 1, m = 0.5; bits 3 and 20; qs[3] = 0x07, qs[4] = 0x20
        Bytes b = new Bytes(24).f16(0, 1.0f).f16(2, 0.5f).u32(4, (1 << 3) | (1 << 20)).u8(8 + 3, 0x07).u8(8 + 4, 0x20);
        float[] out = decode(GgmlType.Q5_1, b, 32);
        assertExact(23.5f, out[3], "(7 | 16) * 1 + 0.5");
        assertExact(0.5f, out[4], "0 + 0.5");
        assertExact(0.5f, out[19], "high nibble of qs[3] = 0, bit 19 clear");
        assertExact(18.5f, out[20], "(2 | 16) + 0.5");
        assertExact(0.5f, out[0], "0 + 0.5");
    }

    @Test
    void q8_0() {
        Bytes b = new Bytes(34).f16(0, 0.5f).u8(2, -128).u8(3, 127).u8(4, -1).u8(5, 0).u8(33, 0x81);
        float[] out = decode(GgmlType.Q8_0, b, 32);
        assertExact(-64.0f, out[0], "-128 * 0.5");
        assertExact(63.5f, out[1], "127 * 0.5");
        assertExact(-0.5f, out[2], "-1 * 0.5");
        assertExact(0.0f, out[3], "0");
        assertExact(-63.5f, out[31], "0x81 = -127");
    }

    // Six-bit scales/mins for Q4_K and Q5_K: sub-blocks 4..7 need their top two bits stored elsewhere.
    private static final int[] SC = {1, 2, 3, 4, 33, 50, 63, 17};
    private static final int[] MN = {5, 6, 7, 8, 40, 41, 62, 19};
    /** SC and MN packed by hand (see the bit arithmetic in the comments). */
    private static final int[] PACKED = {
        0x81, // sc0 = 1, top bits of sc4 = 33 = 0b10_0001 -> 0b10
        0xC2, // sc1 = 2, top bits of sc5 = 50 = 0b11_0010 -> 0b11
        0xC3, // sc2 = 3, top bits of sc6 = 63 -> 0b11
        0x44, // sc3 = 4, top bits of sc7 = 17 = 0b01_0001 -> 0b01
        0x85, // m0 = 5, top bits of m4 = 40 = 0b10_1000 -> 0b10
        0x86, // m1 = 6, top bits of m5 = 41 = 0b10_1001 -> 0b10
        0xC7, // m2 = 7, top bits of m6 = 62 = 0b11_1110 -> 0b11
        0x48, // m3 = 8, top bits of m7 = 19 = 0b01_0011 -> 0b01
        0x81, // low nibbles: sc4 = 0x1, m4 = 0x8
        0x92, // sc5 = 0x2, m5 = 0x9
        0xEF, // sc6 = 0xF, m6 = 0xE
        0x31, // sc7 = 0x1, m7 = 0x3
    };

    private static Bytes kHeader(int size) {
        Bytes b = new Bytes(size).f16(0, 1.0f).f16(2, 0.5f);
        for (int i = 0; i < 12; i++) {
            b.u8(4 + i, PACKED[i]);
        }
        return b;
    }

    @Test
    void kScaleAndMinUnpackBothHalves() {
        MemorySegment s = kHeader(16).segment();
        for (int j = 0; j < 8; j++) {
            assertEquals(SC[j], Dequant.kScale(s, 4, j), "scale " + j);
            assertEquals(MN[j], Dequant.kMin(s, 4, j), "min " + j);
        }
    }

    @Test
    void q4_K() {
        // d = 1, dmin = 0.5; qs[32c + l]: low nibble l % 16, high nibble 15 - l % 16
        Bytes b = kHeader(144);
        for (int i = 0; i < 128; i++) {
            int l = i % 16;
            b.u8(16 + i, l | ((15 - l) << 4));
        }
        float[] out = decode(GgmlType.Q4_K, b, 256);
        assertExact(-2.5f, out[0], "sub 0: 1 * 0 - 0.5 * 5");
        assertExact(12.5f, out[15], "sub 0: 1 * 15 - 2.5");
        assertExact(25.0f, out[33], "sub 1 (high nibbles of qs[0..31]): 2 * 14 - 0.5 * 6");
        assertExact(-0.5f, out[64 + 1], "sub 2 (qs[32..63] low): 3 * 1 - 3.5");
        assertExact(46.0f, out[130], "sub 4: 33 * 2 - 0.5 * 40");
        assertExact(729.5f, out[160], "sub 5 (high): 50 * 15 - 20.5");
        assertExact(473.0f, out[200], "sub 6: 63 * 8 - 0.5 * 62");
        assertExact(-9.5f, out[255], "sub 7: 17 * 0 - 0.5 * 19");
        for (int e = 0; e < 256; e++) {
            int sub = e / 32;
            int l = e % 16;
            int q = sub % 2 == 0 ? l : 15 - l;
            assertExact(SC[sub] * q - 0.5f * MN[sub], out[e], "element " + e);
        }
    }

    @Test
    void q5_K() {
        // d = 1, dmin = 0.5; qs zero except qs[0] = 0xF3; fifth bits: qh[0] bit 0, qh[1] bit 7, qh[31] bit 4
        Bytes b = kHeader(176).u8(16, 0x01).u8(16 + 1, 0x80).u8(16 + 31, 0x10).u8(48, 0xF3);
        float[] out = decode(GgmlType.Q5_K, b, 256);
        assertExact(16.5f, out[0], "sub 0: q = 3 | 16 -> 1 * 19 - 2.5");
        assertExact(-2.5f, out[1], "sub 0: q = 0");
        assertExact(27.0f, out[32], "sub 1: high nibble 15, qh[0] bit 1 clear -> 2 * 15 - 3");
        assertExact(-4.0f, out[97], "sub 3: q = 0 -> -0.5 * 8");
        assertExact(508.0f, out[159], "sub 4, lane 31: qh[31] bit 4 -> 33 * 16 - 20");
        assertExact(262.5f, out[225], "sub 7, lane 1: qh[1] bit 7 -> 17 * 16 - 9.5");
        assertExact(-9.5f, out[224], "sub 7, lane 0: qh[0] bit 7 clear");
        assertExact(-20.0f, out[128], "sub 4, lane 0: qh[0] bit 4 clear");
        assertExact(-3.0f, out[33], "sub 1, lane 1: qh[1] bit 1 clear");
    }

    @Test
    void q6_K() {
        // layout: ql[128] at 0, qh[64] at 128, scales[16] at 192, d at 208 (last)
        int[] scales = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, -128, 127};
        Bytes b = new Bytes(210).f16(208, 0.25f);
        for (int i = 0; i < 16; i++) {
            b.u8(192 + i, scales[i]);
        }
        b.u8(0, 0xA5);        // ql[0]: low 5 (element 0), high 10 (element 64)
        b.u8(128, 0x03);      // qh[0]: bits 0-1 = 3 (element 0); bits 2-3, 4-5, 6-7 = 0 (elements 32, 64, 96)
        b.u8(49, 0xF0);       // ql[32 + 17]: high 15 (element 96 + 17)
        b.u8(128 + 17, 0x80); // qh[17]: bits 6-7 = 2 (element 113)
        b.u8(99, 0x0C);       // ql[64 + 32 + 3]: low 12 (second half, element 128 + 32 + 3)
        b.u8(128 + 35, 0x04); // qh[32 + 3]: bits 2-3 = 1 (element 163)
        b.u8(127, 0xF0);      // ql[64 + 32 + 31]: high 15 (element 255)
        b.u8(128 + 63, 0xC0); // qh[32 + 31]: bits 6-7 = 3 (element 255)
        float[] out = decode(GgmlType.Q6_K, b, 256);
        assertExact(5.25f, out[0], "q = 5 | 3 << 4 = 53 -> 21; 0.25 * 1 * 21");
        assertExact(8.0f, out[16], "q = -32, scale[1] = -1 -> 0.25 * -1 * -32");
        assertExact(-16.0f, out[32], "q = -32, scale[2] = 2");
        assertExact(-16.5f, out[64], "q = 10 - 32 = -22, scale[4] = 3");
        assertExact(-32.0f, out[96], "q = -32, scale[6] = 4");
        assertExact(-15.0f, out[113], "q = 15 | 2 << 4 = 47 -> 15, scale[7] = -4");
        assertExact(-6.0f, out[163], "q = 12 | 1 << 4 = 28 -> -4, scale[10] = 6");
        assertExact(1024.0f, out[238], "q = -32, scale[14] = -128");
        assertExact(984.25f, out[255], "q = 15 | 3 << 4 = 63 -> 31, scale[15] = 127");
        for (int e = 0; e < 256; e++) {
            if (e != 0 && e != 64 && e != 113 && e != 163 && e != 255) {
                assertExact(0.25f * scales[e / 16] * -32, out[e], "untouched element " + e);
            }
        }
    }

    @Test
    void partialRowsMatchTheFullDecodeAtAnyOffset() {
        Random random = new Random(7);
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1,
                GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K}) {
            int blocks = 5;
            int bs = type.blockSize() == 1 ? 32 : type.blockSize();
            int elements = blocks * bs;
            byte[] bytes = new byte[(int) type.bytesFor(elements)];
            random.nextBytes(bytes);
            MemorySegment s = MemorySegment.ofArray(bytes);
            float[] full = new float[elements];
            Dequant.row(type, s, 0, elements, full, 0);
            float[] part = new float[2 * bs + 3];
            Dequant.row(type, s, 2L * bs, 2 * bs, part, 3);
            assertArrayEquals(Arrays.copyOfRange(full, 2 * bs, 4 * bs), Arrays.copyOfRange(part, 3, 3 + 2 * bs), type.name());
            assertEquals(0.0f, part[0], type.name() + " wrote before outOffset");
        }
    }

    @Test
    void rejectsBadArguments() {
        MemorySegment s = MemorySegment.ofArray(new byte[18 * 2]);
        float[] out = new float[64];
        assertThrows(IllegalArgumentException.class, () -> Dequant.row(GgmlType.Q4_0, s, 16, 32, out, 0));
        assertThrows(IllegalArgumentException.class, () -> Dequant.row(GgmlType.Q4_0, s, 0, 20, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Dequant.row(GgmlType.Q4_0, s, 32, 64, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Dequant.row(GgmlType.Q4_0, s, 0, 64, out, 1));
        assertThrows(UnsupportedOperationException.class, () -> Dequant.row(GgmlType.Q8_1, MemorySegment.ofArray(new byte[36]), 0, 32, out, 0));
        assertThrows(UnsupportedOperationException.class, () -> Dequant.row(GgmlType.I8, s, 0, 4, out, 0));
    }
}
