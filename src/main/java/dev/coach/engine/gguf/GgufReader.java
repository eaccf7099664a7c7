package dev.coach.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads GGUF v2 and v3 files: maps the file with {@link FileChannel#map} into an {@link Arena} and parses the
 * header, metadata and tensor table from the {@link MemorySegment}. Every read is bounds-checked first, so a
 * truncated or corrupt file gives a {@link GgufException} naming the problem and the byte offset, never a JVM
 * crash or an attempt to allocate an absurd amount of memory.
 */
public final class GgufReader {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_DIMS = 4;

    private final Path path;
    private final MemorySegment seg;
    private long pos;

    private GgufReader(Path path, MemorySegment seg) {
        this.path = path;
        this.seg = seg;
    }

    /** Opens and maps {@code path}; the returned file must be closed to unmap it. */
    public static GgufFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new GgufException(path + ": no such file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufReader(path, seg).parse(arena);
        } catch (IOException e) {
            arena.close();
            throw new GgufException(path + ": cannot read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private GgufFile parse(Arena arena) {
        if (seg.byteSize() < 4) {
            throw new GgufException(path + ": not a GGUF file (only " + seg.byteSize() + " bytes)");
        }
        int magic = seg.get(INT, 0);
        if (magic != MAGIC) {
            byte[] first = seg.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE);
            throw new GgufException(path + ": not a GGUF file (it starts with " + printable(first) + ", a GGUF file starts with \"GGUF\")");
        }
        pos = 4;
        int version = u32("the version");
        if (version != 2 && version != 3) {
            throw new GgufException(path + ": GGUF version " + version + " is not supported (coach reads versions 2 and 3)");
        }
        long tensorCount = u64("the tensor count");
        long kvCount = u64("the metadata count");
        // each entry takes at least 8 + 4 bytes (empty key, a type) and each tensor at least 8 + 4 + 4 + 8
        if (kvCount < 0 || kvCount > remaining() / 12) {
            throw new GgufException(path + ": the header claims " + Long.toUnsignedString(kvCount) + " metadata entries, more than "
                    + "the file could hold; the file is corrupt or truncated");
        }
        if (tensorCount < 0 || tensorCount > remaining() / 24) {
            throw new GgufException(path + ": the header claims " + Long.toUnsignedString(tensorCount) + " tensors, more than "
                    + "the file could hold; the file is corrupt or truncated");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key " + i);
            int type = u32("the type of '" + key + "'");
            meta.put(key, value(type, key, 0));
        }
        int alignment = 32;
        if (meta.containsKey("general.alignment")) {
            Object a = meta.get("general.alignment");
            if (!(a instanceof Number n) || n.longValue() <= 0 || n.longValue() > 1 << 20 || Long.bitCount(n.longValue()) != 1) {
                throw new GgufException(path + ": general.alignment is " + a + "; it must be a power of two");
            }
            alignment = (int) n.longValue();
        }
        record Info(String name, long[] shape, GgmlType type, long offset, long elements) {
        }
        List<Info> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string("the name of tensor " + i);
            int dims = u32("the dimension count of '" + name + "'");
            if (dims < 1 || dims > MAX_DIMS) {
                throw new GgufException(path + ": tensor '" + name + "' has " + Integer.toUnsignedString(dims) + " dimensions; GGUF tensors have 1 to "
                        + MAX_DIMS);
            }
            long[] shape = new long[dims];
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                shape[d] = u64("dimension " + d + " of '" + name + "'");
                if (shape[d] <= 0 || shape[d] > (1L << 40)) {
                    throw new GgufException(path + ": tensor '" + name + "' has dimension " + Long.toUnsignedString(shape[d]) + ", which is not a "
                            + "plausible size; the file is corrupt");
                }
                try {
                    elements = Math.multiplyExact(elements, shape[d]);
                } catch (ArithmeticException e) {
                    throw new GgufException(path + ": tensor '" + name + "' has more elements than fit in 64 bits; the file is corrupt");
                }
            }
            int typeId = u32("the type of '" + name + "'");
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> new GgufException(path + ": tensor '" + name + "' has type id " + typeId
                    + ", which is not a known ggml type; the file may come from a newer llama.cpp"));
            long offset = u64("the data offset of '" + name + "'");
            infos.add(new Info(name, shape, type, offset, elements));
        }
        long dataOffset = align(pos, alignment);
        List<GgufTensor> tensors = new ArrayList<>();
        for (Info t : infos) {
            long bytes = t.type().bytesFor(t.elements());
            if (bytes < 0) {
                throw new GgufException(path + ": tensor '" + t.name() + "' of type " + t.type() + " has " + t.elements() + " elements, not a "
                        + "whole number of " + t.type().blockSize() + "-element blocks");
            }
            long start = dataOffset + t.offset();
            if (t.offset() < 0 || start < dataOffset || start + bytes > seg.byteSize() || start + bytes < start) {
                throw new GgufException(path + ": tensor '" + t.name() + "' needs bytes " + Long.toUnsignedString(start) + " to "
                        + Long.toUnsignedString(start + bytes) + " but the file has " + seg.byteSize() + " bytes; the file is truncated "
                        + "or corrupt — download it again");
            }
            if (t.offset() % alignment != 0) {
                throw new GgufException(path + ": tensor '" + t.name() + "' starts at offset " + t.offset() + ", not a multiple of the "
                        + "alignment " + alignment);
            }
            tensors.add(new GgufTensor(t.name(), t.shape(), t.type(), t.offset(), t.elements(), seg.asSlice(start, bytes)));
        }
        return new GgufFile(path, version, java.util.Collections.unmodifiableMap(meta), List.copyOf(tensors), dataOffset, alignment, arena, seg);
    }

    private Object value(int type, String key, int depth) {
        return switch (type) {
            case 0 -> (long) Byte.toUnsignedInt(take(1, key).get(ValueLayout.JAVA_BYTE, 0));
            case 1 -> (long) take(1, key).get(ValueLayout.JAVA_BYTE, 0);
            case 2 -> (long) Short.toUnsignedInt(take(2, key).get(SHORT, 0));
            case 3 -> (long) take(2, key).get(SHORT, 0);
            case 4 -> Integer.toUnsignedLong(take(4, key).get(INT, 0));
            case 5 -> (long) take(4, key).get(INT, 0);
            case 6 -> take(4, key).get(FLOAT, 0);
            case 7 -> {
                byte b = take(1, key).get(ValueLayout.JAVA_BYTE, 0);
                if (b != 0 && b != 1) {
                    throw new GgufException(path + ": '" + key + "' is a bool with value " + b + " at byte " + (pos - 1) + "; the file is corrupt");
                }
                yield b == 1;
            }
            case 8 -> string("the value of '" + key + "'");
            case 9 -> {
                if (depth > 0) {
                    throw new GgufException(path + ": '" + key + "' is an array of arrays, which GGUF does not allow here");
                }
                int itemType = u32("the item type of '" + key + "'");
                long count = u64("the length of '" + key + "'");
                if (count < 0 || count > remaining()) {
                    throw new GgufException(path + ": '" + key + "' claims " + Long.toUnsignedString(count) + " items, more than the "
                            + remaining() + " bytes left; the file is truncated or corrupt");
                }
                List<Object> items = new ArrayList<>((int) Math.min(count, 1 << 16));
                for (long i = 0; i < count; i++) {
                    items.add(value(itemType, key, depth + 1));
                }
                yield List.copyOf(items);
            }
            case 10 -> take(8, key).get(LONG, 0);
            case 11 -> take(8, key).get(LONG, 0);
            case 12 -> take(8, key).get(DOUBLE, 0);
            default -> throw new GgufException(path + ": '" + key + "' has value type " + type + " at byte " + (pos - 4)
                    + ", which GGUF does not define; the file is corrupt");
        };
    }

    private MemorySegment take(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw new GgufException(path + ": the file ends at byte " + seg.byteSize() + " while reading " + what + " (needs " + n
                    + " bytes at byte " + pos + "); the file is truncated — download it again");
        }
        MemorySegment s = seg.asSlice(pos, n);
        pos += n;
        return s;
    }

    private int u32(String what) {
        return take(4, what).get(INT, 0);
    }

    private long u64(String what) {
        return take(8, what).get(LONG, 0);
    }

    private String string(String what) {
        long len = u64("the length of " + what);
        if (len < 0 || len > remaining()) {
            throw new GgufException(path + ": " + what + " claims " + Long.toUnsignedString(len) + " bytes but only " + remaining()
                    + " are left; the file is truncated or corrupt");
        }
        byte[] b = take(len, what).toArray(ValueLayout.JAVA_BYTE);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufException(path + ": " + what + " is not valid UTF-8 (at byte " + (pos - len) + ")");
        }
    }

    private long remaining() {
        return seg.byteSize() - pos;
    }

    static long align(long x, int a) {
        return (x + a - 1) / a * a;
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
