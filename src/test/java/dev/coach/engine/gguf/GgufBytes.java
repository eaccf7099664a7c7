package dev.coach.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds GGUF bytes field by field for tests of broken files: unlike {@link GgufWriter}, every magic, version, count,
 * length, type and offset is written exactly as given, right or wrong. Named marks record where each part starts, so
 * a test can cut a file inside a chosen field or find the byte offset an error message should name.
 */
final class GgufBytes {
    // GGUF metadata value types
    static final int U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9, U64 = 10,
            I64 = 11, F64 = 12;
    // ggml tensor types
    static final int T_F32 = 0, T_Q8_0 = 8, T_Q2_K = 10, T_IQ2_XS = 17;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> marks = new HashMap<>();

    GgufBytes mark(String name) {
        marks.put(name, out.size());
        return this;
    }

    /** Where the mark was set. */
    int at(String name) {
        Integer p = marks.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no mark " + name + " (marks: " + marks.keySet() + ")");
        }
        return p;
    }

    int size() {
        return out.size();
    }

    private GgufBytes le(int n, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        out.write(b.array(), 0, n);
        return this;
    }

    GgufBytes u8(int v) {
        return le(1, v);
    }

    GgufBytes u16(int v) {
        return le(2, v);
    }

    GgufBytes u32(long v) {
        return le(4, v);
    }

    GgufBytes u64(long v) {
        return le(8, v);
    }

    GgufBytes f32(float v) {
        return u32(Float.floatToRawIntBits(v) & 0xffffffffL);
    }

    GgufBytes f64(double v) {
        return u64(Double.doubleToRawLongBits(v));
    }

    GgufBytes raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    GgufBytes ascii(String s) {
        return raw(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    GgufBytes zeros(long n) {
        for (long i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    /** A GGUF string: its UTF-8 length as a u64, then the bytes. */
    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).raw(b);
    }

    /** Magic, version and the two counts, marked "magic", "version", "tensorCount", "kvCount"; then marks "kv". */
    GgufBytes header(int version, long tensors, long entries) {
        mark("magic").ascii("GGUF").mark("version").u32(version).mark("tensorCount").u64(tensors).mark("kvCount").u64(entries);
        return mark("kv");
    }

    /** The start of a metadata entry: key (mark "kv:KEY") and type (mark "type:KEY"); the caller writes the value. */
    GgufBytes key(String key, int type) {
        return mark("kv:" + key).str(key).mark("type:" + key).u32(type).mark("value:" + key);
    }

    GgufBytes kvU32(String key, long v) {
        return key(key, U32).u32(v);
    }

    GgufBytes kvStr(String key, String v) {
        return key(key, STRING).str(v);
    }

    GgufBytes kvF32(String key, float v) {
        return key(key, F32).f32(v);
    }

    GgufBytes kvStrings(String key, String... items) {
        key(key, ARRAY).u32(STRING).u64(items.length);
        for (String s : items) {
            str(s);
        }
        return this;
    }

    GgufBytes kvFloats(String key, float... items) {
        key(key, ARRAY).u32(F32).u64(items.length);
        for (float f : items) {
            f32(f);
        }
        return this;
    }

    /** A tensor table entry, marked "tensor:NAME"; the shape is innermost dimension first. */
    GgufBytes tensor(String name, int type, long offset, long... shape) {
        mark("tensor:" + name).str(name).u32(shape.length);
        for (long d : shape) {
            u64(d);
        }
        return u32(type).mark("offset:" + name).u64(offset);
    }

    /** Zero bytes up to a multiple of {@code alignment}, then mark "data". */
    GgufBytes pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return mark("data");
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The first {@code n} bytes. */
    byte[] cut(int n) {
        return Arrays.copyOf(out.toByteArray(), n);
    }

    /**
     * A small well-formed v3 llama file: metadata (architecture, block count, tokens, scores) and two tensors, an F32
     * [8] at data offset 0 and a Q8_0 [32, 2] at data offset 32, followed by their data.
     */
    static GgufBytes valid() {
        GgufBytes b = new GgufBytes().header(3, 2, 4)
                .kvStr("general.architecture", "llama")
                .kvU32("llama.block_count", 2)
                .kvStrings("tokenizer.ggml.tokens", "<s>", "a", "b")
                .kvFloats("tokenizer.ggml.scores", 0f, -1f, -2f)
                .mark("table")
                .tensor("token_embd.weight", T_F32, 0, 8)
                .tensor("blk.0.attn_q.weight", T_Q8_0, 32, 32, 2)
                .mark("tableEnd")
                .pad(32);
        for (int i = 0; i < 8; i++) {
            b.f32(i + 1);
        }
        b.mark("data:blk.0.attn_q.weight");
        for (int i = 0; i < 68; i++) {
            b.u8(i);
        }
        return b;
    }
}
