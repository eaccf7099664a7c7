package dev.coach.engine.model;

import dev.coach.engine.tensor.ActivationQuant;

import java.util.Arrays;

/**
 * The keys or values of one layer, one row of {@code width} numbers per position, stored as F32, F16 (llama.cpp's
 * default) or Q8_0 (blocks of 32 bytes with one scale; a quarter of F32). Storage grows with the positions used.
 */
public abstract sealed class KvCache {

    /** How cached keys and values are stored. */
    public enum Type {
        F32, F16, Q8_0
    }

    final int width;

    KvCache(int width) {
        this.width = width;
    }

    static KvCache of(Type type, int width, int positions) {
        return switch (type) {
            case F32 -> new F32(width, positions);
            case F16 -> new F16(width, positions);
            case Q8_0 -> new Q8(width, positions);
        };
    }

    abstract void grow(int positions);

    /** Stores {@code row[0 .. width)} at {@code pos}. */
    abstract void put(int pos, float[] row);

    /** {@code sum over i < n of cache[pos][off + i] * q[qOff + i]}. */
    abstract float dot(int pos, int off, float[] q, int qOff, int n);

    /** {@code out[outOff + i] += a * cache[pos][off + i]} for {@code i < n}. */
    abstract void addScaled(int pos, int off, float a, float[] out, int outOff, int n);

    static final class F32 extends KvCache {
        private float[] data;

        F32(int width, int positions) {
            super(width);
            data = new float[positions * width];
        }

        @Override
        void grow(int positions) {
            data = Arrays.copyOf(data, positions * width);
        }

        @Override
        void put(int pos, float[] row) {
            System.arraycopy(row, 0, data, pos * width, width);
        }

        @Override
        float dot(int pos, int off, float[] q, int qOff, int n) {
            int base = pos * width + off;
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += q[qOff + i] * data[base + i];
            }
            return s;
        }

        @Override
        void addScaled(int pos, int off, float a, float[] out, int outOff, int n) {
            int base = pos * width + off;
            for (int i = 0; i < n; i++) {
                out[outOff + i] += a * data[base + i];
            }
        }
    }

    static final class F16 extends KvCache {
        private short[] data;

        F16(int width, int positions) {
            super(width);
            data = new short[positions * width];
        }

        @Override
        void grow(int positions) {
            data = Arrays.copyOf(data, positions * width);
        }

        @Override
        void put(int pos, float[] row) {
            int base = pos * width;
            for (int i = 0; i < width; i++) {
                data[base + i] = Float.floatToFloat16(row[i]);
            }
        }

        @Override
        float dot(int pos, int off, float[] q, int qOff, int n) {
            int base = pos * width + off;
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += q[qOff + i] * Float.float16ToFloat(data[base + i]);
            }
            return s;
        }

        @Override
        void addScaled(int pos, int off, float a, float[] out, int outOff, int n) {
            int base = pos * width + off;
            for (int i = 0; i < n; i++) {
                out[outOff + i] += a * Float.float16ToFloat(data[base + i]);
            }
        }
    }

    /** Blocks of 32: an F16-rounded scale max|x|/127 and codes rounded to nearest even, as llama.cpp's Q8_0. */
    static final class Q8 extends KvCache {
        private byte[] codes;
        private float[] scales;

        Q8(int width, int positions) {
            super(width);
            if (width % 32 != 0) {
                throw new IllegalArgumentException("a Q8_0 KV cache needs rows that are a multiple of 32, not " + width);
            }
            codes = new byte[positions * width];
            scales = new float[positions * width / 32];
        }

        @Override
        void grow(int positions) {
            codes = Arrays.copyOf(codes, positions * width);
            scales = Arrays.copyOf(scales, positions * width / 32);
        }

        @Override
        void put(int pos, float[] row) {
            int base = pos * width;
            for (int b = 0; b < width; b += 32) {
                scales[(base + b) / 32] = ActivationQuant.q8_0Block(row, b, codes, base + b);
            }
        }

        @Override
        float dot(int pos, int off, float[] q, int qOff, int n) {
            int base = pos * width + off;
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += q[qOff + i] * codes[base + i] * scales[(base + i) >> 5];
            }
            return s;
        }

        @Override
        void addScaled(int pos, int off, float a, float[] out, int outOff, int n) {
            int base = pos * width + off;
            for (int i = 0; i < n; i++) {
                out[outOff + i] += a * codes[base + i] * scales[(base + i) >> 5];
            }
        }
    }
}
