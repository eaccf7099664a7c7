package dev.coach.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes GGUF v3 files for tests: metadata of every type, and tensors with given raw bytes. */
public final class GgufWriter {
    record Tensor(String name, long[] shape, int type, byte[] data) {
    }

    private final Map<String, Object[]> meta = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int alignment = 32;
    private int version = 3;

    public GgufWriter version(int v) {
        version = v;
        return this;
    }

    public GgufWriter put(String key, int type, Object value) {
        meta.put(key, new Object[] {type, value});
        if (key.equals("general.alignment")) {
            alignment = ((Number) value).intValue();
        }
        return this;
    }

    public GgufWriter string(String key, String value) {
        return put(key, 8, value);
    }

    public GgufWriter tensor(String name, int type, byte[] data, long... shape) {
        tensors.add(new Tensor(name, shape, type, data));
        return this;
    }

    /** A uint32 value (GGUF type 4), the type llama.cpp requires for counts, lengths and token ids. */
    public GgufWriter u32(String key, long value) {
        return put(key, 4, value);
    }

    /** A float32 value (GGUF type 6). */
    public GgufWriter f32(String key, float value) {
        return put(key, 6, value);
    }

    /** A bool value (GGUF type 7). */
    public GgufWriter bool(String key, boolean value) {
        return put(key, 7, value);
    }

    /** An array of strings (GGUF type 9 of type 8). */
    public GgufWriter strings(String key, List<String> values) {
        return put(key, 9, new Object[] {8, new ArrayList<Object>(values)});
    }

    /** An array of int32 values (GGUF type 9 of type 5). */
    public GgufWriter int32s(String key, List<Integer> values) {
        return put(key, 9, new Object[] {5, new ArrayList<Object>(values)});
    }

    /** An array of float32 values (GGUF type 9 of type 6). */
    public GgufWriter float32s(String key, List<Float> values) {
        return put(key, 9, new Object[] {6, new ArrayList<Object>(values)});
    }

    public byte[] bytes() {
        Out o = new Out();
        o.i32(GgufReader.MAGIC).i32(version).i64(tensors.size()).i64(meta.size());
        for (Map.Entry<String, Object[]> e : meta.entrySet()) {
            o.str(e.getKey()).i32((int) e.getValue()[0]);
            value(o, (int) e.getValue()[0], e.getValue()[1]);
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            o.str(t.name()).i32(t.shape().length);
            for (long d : t.shape()) {
                o.i64(d);
            }
            o.i32(t.type()).i64(offset);
            offsets.add(offset);
            offset = GgufReader.align(offset + t.data().length, alignment);
        }
        while (o.size() % alignment != 0) {
            o.b(0);
        }
        long base = o.size();
        for (int i = 0; i < tensors.size(); i++) {
            while (o.size() < base + offsets.get(i)) {
                o.b(0);
            }
            o.raw(tensors.get(i).data());
        }
        return o.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void value(Out o, int type, Object v) {
        switch (type) {
            case 0, 1, 7 -> o.b(v instanceof Boolean bo ? (bo ? 1 : 0) : ((Number) v).intValue());
            case 2, 3 -> o.i16(((Number) v).intValue());
            case 4, 5 -> o.i32(((Number) v).intValue());
            case 6 -> o.f32(((Number) v).floatValue());
            case 8 -> o.str((String) v);
            case 9 -> {
                Object[] a = (Object[]) v;
                int itemType = (int) a[0];
                List<Object> items = (List<Object>) a[1];
                o.i32(itemType).i64(items.size());
                items.forEach(x -> value(o, itemType, x));
            }
            case 10, 11 -> o.i64(((Number) v).longValue());
            case 12 -> o.f64(((Number) v).doubleValue());
            default -> throw new IllegalArgumentException("type " + type);
        }
    }

    public static final class Out extends ByteArrayOutputStream {
        private ByteBuffer buf(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        }

        Out b(int v) {
            write(v);
            return this;
        }

        Out i16(int v) {
            writeBytes(buf(2).putShort((short) v).array());
            return this;
        }

        Out i32(int v) {
            writeBytes(buf(4).putInt(v).array());
            return this;
        }

        Out i64(long v) {
            writeBytes(buf(8).putLong(v).array());
            return this;
        }

        Out f32(float v) {
            writeBytes(buf(4).putFloat(v).array());
            return this;
        }

        Out f64(double v) {
            writeBytes(buf(8).putDouble(v).array());
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            writeBytes(b);
            return this;
        }

        Out raw(byte[] b) {
            writeBytes(b);
            return this;
        }
    }
}
