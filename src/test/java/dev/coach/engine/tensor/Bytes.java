package dev.coach.engine.tensor;

import java.lang.foreign.MemorySegment;

/** A little-endian byte buffer for building ggml blocks by hand in tests. */
final class Bytes {

    final byte[] a;

    Bytes(int size) {
        a = new byte[size];
    }

    Bytes u8(int at, int value) {
        if (value < -128 || value > 255) {
            throw new IllegalArgumentException("not a byte: " + value);
        }
        a[at] = (byte) value;
        return this;
    }

    Bytes u16(int at, int value) {
        a[at] = (byte) value;
        a[at + 1] = (byte) (value >>> 8);
        return this;
    }

    Bytes u32(int at, int value) {
        for (int i = 0; i < 4; i++) {
            a[at + i] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    Bytes f16(int at, float value) {
        short h = Float.floatToFloat16(value);
        if (Float.float16ToFloat(h) != value) {
            throw new IllegalArgumentException(value + " is not exact in f16");
        }
        return u16(at, h);
    }

    Bytes f32(int at, float value) {
        return u32(at, Float.floatToRawIntBits(value));
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(a);
    }
}
