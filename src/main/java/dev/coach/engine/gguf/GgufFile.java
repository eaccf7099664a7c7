package dev.coach.engine.gguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model file, mapped (not copied) into memory: its version, metadata and tensors. Close it to unmap; tensor
 * data and numeric metadata arrays can be read only while it is open.
 *
 * <p>Metadata values are kept as: integers of every width as {@link Long} (uint64 as its raw bits), float32 as
 * {@link Float}, float64 as {@link Double}, bool as {@link Boolean}, string as {@link String}, and arrays as
 * {@link List}s of those. Model loading code should use the typed accessors ({@link #requireInt}, {@link #floatArray},
 * ...): they check the type and range and fail with a {@link GgufException} that names the file, the key, what was
 * found and what was expected.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, Kind> types;
    private final List<GgufTensor> tensors;
    private final long dataOffset;
    private final int alignment;
    private final Arena arena;
    private final MemorySegment segment;

    /** The GGUF type of a metadata entry; {@code item} is the item type of an array and null otherwise. */
    record Kind(GgufValueType type, GgufValueType item) {
        String label() {
            return item == null ? type.label() : "array of " + item.label();
        }
    }

    GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, Kind> types, List<GgufTensor> tensors,
             long dataOffset, int alignment, Arena arena, MemorySegment segment) {
        this.path = path;
        this.version = version;
        this.metadata = metadata;
        this.types = types;
        this.tensors = tensors;
        this.dataOffset = dataOffset;
        this.alignment = alignment;
        this.arena = arena;
        this.segment = segment;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /** Every metadata entry in file order, unmodifiable. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    public List<GgufTensor> tensors() {
        return tensors;
    }

    public long dataOffset() {
        return dataOffset;
    }

    public int alignment() {
        return alignment;
    }

    public long fileSize() {
        return segment.byteSize();
    }

    public Optional<GgufTensor> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    /** The GGUF type of a metadata entry as written in the file: "uint32", "string", "array of float32", ... */
    public Optional<String> typeOf(String key) {
        return Optional.ofNullable(types.get(key)).map(Kind::label);
    }

    public Optional<String> architecture() {
        return string("general.architecture");
    }

    // ---- typed accessors: absent is fine for the Optional and default forms; a present value of the wrong type never is ----

    /** A string entry, or empty if the key is absent; a GgufException if it holds something else. */
    public Optional<String> string(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw wrongType(key, "a string");
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key, "a string"));
    }

    /** An integer entry of any width, or empty if the key is absent; a GgufException if it holds something else. */
    public Optional<Long> integer(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            return Optional.empty();
        }
        GgufValueType type = types.get(key).type();
        if (!(v instanceof Long n) || !type.isInteger()) {
            throw wrongType(key, "an integer");
        }
        if (type == GgufValueType.UINT64 && n < 0) {
            throw outOfRange(key, Long.toUnsignedString(n), "a signed 64-bit integer");
        }
        return Optional.of(n);
    }

    public long requireLong(String key) {
        return integer(key).orElseThrow(() -> missing(key, "an integer"));
    }

    /** An integer entry that must be present and fit in an int. */
    public int requireInt(String key) {
        return toInt(key, requireLong(key));
    }

    public int optionalInt(String key, int defaultValue) {
        Optional<Long> v = integer(key);
        return v.isPresent() ? toInt(key, v.get()) : defaultValue;
    }

    /** A number entry (float32, float64 or an integer) as a float, or empty if the key is absent. */
    public Optional<Float> number(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            return Optional.empty();
        }
        GgufValueType type = types.get(key).type();
        if (v instanceof Float f) {
            return Optional.of(f);
        }
        if (v instanceof Double d) {
            return Optional.of(d.floatValue());
        }
        if (v instanceof Long n && type.isInteger()) {
            return Optional.of(type == GgufValueType.UINT64 ? Float.parseFloat(Long.toUnsignedString(n)) : (float) n);
        }
        throw wrongType(key, "a number");
    }

    public float requireFloat(String key) {
        return number(key).orElseThrow(() -> missing(key, "a number"));
    }

    public float optionalFloat(String key, float defaultValue) {
        return number(key).orElse(defaultValue);
    }

    public Optional<Boolean> bool(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        throw wrongType(key, "a bool");
    }

    public boolean optionalBool(String key, boolean defaultValue) {
        return bool(key).orElse(defaultValue);
    }

    /** A required array of strings (for example tokenizer.ggml.tokens), as an unmodifiable list. */
    public List<String> stringArray(String key) {
        List<?> items = array(key, "an array of strings");
        if (types.get(key).item() != GgufValueType.STRING) {
            throw wrongType(key, "an array of strings");
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object o : items) {
            out.add((String) o);
        }
        return List.copyOf(out);
    }

    /** A required array of numbers (float32, float64 or integers) as floats, copied out of the file. */
    public float[] floatArray(String key) {
        List<?> items = array(key, "an array of numbers");
        if (!(items instanceof MappedArray m) || m.itemType() == GgufValueType.BOOL) {
            throw wrongType(key, "an array of numbers");
        }
        float[] out = new float[m.size()];
        GgufValueType t = m.itemType();
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t) {
                case FLOAT32 -> m.floatAt(i);
                case FLOAT64 -> (float) m.doubleAt(i);
                case UINT64 -> Float.parseFloat(Long.toUnsignedString(m.longAt(i)));
                default -> (float) m.longAt(i);
            };
        }
        return out;
    }

    /** A required array of integers, each of which must fit in an int, copied out of the file. */
    public int[] intArray(String key) {
        List<?> items = array(key, "an array of integers");
        if (!(items instanceof MappedArray m) || !m.itemType().isInteger()) {
            throw wrongType(key, "an array of integers");
        }
        boolean unsigned64 = m.itemType() == GgufValueType.UINT64;
        int[] out = new int[m.size()];
        for (int i = 0; i < out.length; i++) {
            long v = m.longAt(i);
            if (v != (int) v || (unsigned64 && v < 0)) {
                throw new GgufException(path + ": item " + i + " of metadata array '" + key + "' is "
                        + (unsigned64 ? Long.toUnsignedString(v) : String.valueOf(v)) + ", which does not fit in a 32-bit integer; "
                        + "the file is malformed — download or convert the model again");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private List<?> array(String key, String expected) {
        Object v = metadata.get(key);
        if (v == null) {
            throw missing(key, expected);
        }
        if (!(v instanceof List<?> l)) {
            throw wrongType(key, expected);
        }
        return l;
    }

    private int toInt(String key, long v) {
        if (v != (int) v) {
            throw outOfRange(key, String.valueOf(v), "a 32-bit integer");
        }
        return (int) v;
    }

    private GgufException missing(String key, String expected) {
        return new GgufException(path + ": the metadata has no '" + key + "' (" + expected + "), which coach needs to run this model; "
                + "the file is incomplete or was converted for another program — download or convert the model again");
    }

    private GgufException wrongType(String key, String expected) {
        return new GgufException(path + ": metadata key '" + key + "' is " + describe(types.get(key).label(), metadata.get(key))
                + ", but coach needs " + expected + "; the file is malformed — download or convert the model again");
    }

    private GgufException outOfRange(String key, String value, String expected) {
        return new GgufException(path + ": metadata key '" + key + "' is " + value + ", which does not fit in " + expected
                + "; the file is malformed — download or convert the model again");
    }

    /** "a string (\"two\")", "a uint32 (7)", "an array of float32 (3 items)": a found value for messages. */
    static String describe(String type, Object value) {
        String t = type == null ? "unknown" : type;
        String article = t.startsWith("a") || t.startsWith("i") || t.startsWith("unk") ? "an " : "a ";
        if (value instanceof List<?> l) {
            return article + t + " (" + l.size() + " items)";
        }
        String shown = value instanceof String s ? "\"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\""
                : "uint64".equals(t) && value instanceof Long n ? Long.toUnsignedString(n) : String.valueOf(value);
        return article + t + " (" + shown + ")";
    }

    /** Unmaps the file; closing it again does nothing. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
