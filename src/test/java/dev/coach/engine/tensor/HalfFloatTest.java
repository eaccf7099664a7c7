package dev.coach.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatTest {

    private static float f16(int bits) {
        return Dequant.f16((short) bits);
    }

    private static float bf16(int bits) {
        return Dequant.bf16((short) bits);
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void f16NormalNumbers() {
        assertBits(1.0f, f16(0x3C00));
        assertBits(-2.0f, f16(0xC000));
        assertBits(0.5f, f16(0x3800));
        assertBits(65504.0f, f16(0x7BFF)); // largest finite half
        assertBits(0x1p-14f, f16(0x0400)); // smallest normal
        assertBits(1.0f + 0x1p-10f, f16(0x3C01)); // one ulp above 1
        assertBits(0.333251953125f, f16(0x3555)); // 1/3 rounded to half
        assertBits(-0.0999755859375f, f16(0xAE66));
    }

    @Test
    void f16ZerosAndSubnormals() {
        assertBits(0.0f, f16(0x0000));
        assertBits(-0.0f, f16(0x8000));
        assertBits(0x1p-24f, f16(0x0001)); // smallest subnormal
        assertBits(-0x1p-24f, f16(0x8001));
        assertBits(0x1p-15f, f16(0x0200)); // 512 * 2^-24
        assertBits(1023 * 0x1p-24f, f16(0x03FF)); // largest subnormal
        assertBits(-1023 * 0x1p-24f, f16(0x83FF));
    }

    @Test
    void f16InfinitiesAndNaN() {
        assertBits(Float.POSITIVE_INFINITY, f16(0x7C00));
        assertBits(Float.NEGATIVE_INFINITY, f16(0xFC00));
        assertTrue(Float.isNaN(f16(0x7E00)));
        assertTrue(Float.isNaN(f16(0x7C01))); // signalling NaN: smallest payload, still NaN and not infinity
        assertTrue(Float.isNaN(f16(0xFFFF)));
        // sign and payload move up by 13 bits
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(f16(0x7E00)));
        assertEquals(0x7F80_2000, Float.floatToRawIntBits(f16(0x7C01)));
        assertEquals(0xFFFF_E000, Float.floatToRawIntBits(f16(0xFFFF)));
    }

    @Test
    void f16AgreesWithTheJdkForAllBitPatterns() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float expected = Float.float16ToFloat((short) bits);
            float actual = f16(bits);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "0x" + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), "0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16RoundTripsThroughFloatToFloat16() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float v = f16(bits);
            if (!Float.isNaN(v)) {
                assertEquals(bits, Float.floatToFloat16(v) & 0xFFFF, "0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void bf16KnownPatterns() {
        assertBits(1.0f, bf16(0x3F80));
        assertBits(-2.0f, bf16(0xC000));
        assertBits(3.140625f, bf16(0x4049));
        assertBits(0.0f, bf16(0x0000));
        assertBits(-0.0f, bf16(0x8000));
        assertBits(0x1p-126f, bf16(0x0080)); // smallest normal
        assertBits(0x1p-133f, bf16(0x0001)); // smallest subnormal: float bits 0x00010000
        assertBits(127 * 0x1p-133f, bf16(0x007F)); // largest subnormal
        assertBits(Float.intBitsToFloat(0x7F7F_0000), bf16(0x7F7F)); // largest finite
        assertBits(Float.POSITIVE_INFINITY, bf16(0x7F80));
        assertBits(Float.NEGATIVE_INFINITY, bf16(0xFF80));
        assertTrue(Float.isNaN(bf16(0x7FC0)));
        assertTrue(Float.isNaN(bf16(0x7F81)));
        assertEquals(0x7F81_0000, Float.floatToRawIntBits(bf16(0x7F81)));
        assertEquals(0xFFC0_0000, Float.floatToRawIntBits(bf16(0xFFC0)));
    }

    @Test
    void bf16IsTheUpperHalfOfTheFloatForAllBitPatterns() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            assertEquals(bits << 16, Float.floatToRawIntBits(bf16(bits)), "0x" + Integer.toHexString(bits));
        }
    }
}
