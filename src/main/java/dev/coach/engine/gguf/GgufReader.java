package dev.coach.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads GGUF v2 and v3 files: maps the file with {@link FileChannel#map} into a shared {@link Arena} and parses the
 * header, metadata and tensor table from the {@link MemorySegment}.
 *
 * <p>Every length and count in the file is checked against the bytes that are actually left before anything is read
 * or allocated for it, so a truncated, corrupt or hostile file gives a {@link GgufException} that names the file,
 * what is wrong (with the offending value and its byte offset) and what to do: never an {@link OutOfMemoryError},
 * a hang, or some other exception type. On any failure the file's mapping is released before the exception leaves
 * {@link #open}. The rules follow llama.cpp's own loader ({@code gguf.cpp}) so that a file llama.cpp refuses is
 * refused here too, with a few extra checks (no zero-sized or 0-dimensional tensors, no overlapping tensor data).
 */
public final class GgufReader {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** ggml tensors have at most 4 dimensions. */
    static final int MAX_DIMS = 4;
    /** ggml keeps tensor names in a 64-byte field with a terminating zero, so a name has at most 63 bytes. */
    static final int MAX_NAME_BYTES = 63;
    /** Real models have a few thousand tensors and a few dozen metadata entries; far more means a corrupt header. */
    static final long MAX_TENSORS = 1 << 20;
    static final long MAX_ENTRIES = 1 << 20;
    /**
     * Strings are the only metadata kept on the heap (numeric arrays stay in the mapping), so they have a budget: the
     * largest vocabularies have a few hundred thousand tokens and as many merges, far below these limits.
     */
    static final long MAX_STRINGS = 1 << 22;
    static final long MAX_STRING_BYTES = 256L << 20;
    static final long MAX_ALIGNMENT = 1L << 30;
    /** The alignment of tensor data when {@code general.alignment} is not set. */
    static final int DEFAULT_ALIGNMENT = 32;

    private static final String REDOWNLOAD = "download or convert the model again";

    private final Path path;
    private final MemorySegment seg;
    private final long size;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private long pos;
    private long strings;
    private long stringBytes;

    private GgufReader(Path path, MemorySegment seg) {
        this.path = path;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    /**
     * Opens and maps {@code path}; the returned file must be closed to unmap it.
     *
     * @throws GgufException if the file cannot be read or is not a well-formed GGUF v2/v3 file
     */
    public static GgufFile open(Path path) {
        Objects.requireNonNull(path, "path");
        if (!Files.exists(path)) {
            throw new GgufException(path + ": no such file; check the path");
        }
        if (Files.isDirectory(path)) {
            throw new GgufException(path + ": is a directory, not a GGUF file; give the path of the .gguf file itself");
        }
        if (!Files.isRegularFile(path)) {
            throw new GgufException(path + ": is not a regular file (a device, pipe or socket?); give the path of a .gguf file");
        }
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size == 0) {
                    throw new GgufException(path + ": the file is empty (0 bytes), so it is not a GGUF file; the download or copy "
                            + "probably failed — " + REDOWNLOAD);
                }
                seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            GgufFile file = new GgufReader(path, seg).parse(arena);
            ok = true;
            return file;
        } catch (GgufException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new GgufException(path + ": cannot be read: permission denied; check the file's permissions", e);
        } catch (IOException e) {
            throw new GgufException(path + ": cannot be read (" + e.getMessage() + "); check that the file is on a working "
                    + "disk and not being written to", e);
        } catch (OutOfMemoryError e) {
            throw new GgufException(path + ": the metadata does not fit in the Java heap; give Java more memory (for example "
                    + "JAVA_TOOL_OPTIONS=-Xmx4g) or use a smaller model", e);
        } catch (RuntimeException e) {
            throw new GgufException(path + ": cannot be read: unexpected " + e.getClass().getSimpleName() + " (" + e.getMessage()
                    + "); the file is probably corrupt — " + REDOWNLOAD + ", and please report this as a coach bug", e);
        } finally {
            if (!ok) {
                arena.close();
            }
        }
    }

    private GgufException fail(String message) {
        return new GgufException(path + ": " + message);
    }

    private GgufFile parse(Arena arena) {
        checkMagic();
        pos = 4;
        int version = u32("the GGUF version");
        checkVersion(version);
        long tensorCount = i64("the tensor count");
        long kvCount = i64("the metadata entry count");
        // the fewest bytes one tensor table entry can take: name length, dimension count, one dimension, type, offset
        checkCount(tensorCount, "tensors", 8, 8 + 4 + 8 + 4 + 8, MAX_TENSORS);
        // the fewest bytes one metadata entry can take: key length, a one-byte key, the type, a one-byte value
        checkCount(kvCount, "metadata entries", 16, 8 + 1 + 4 + 1, MAX_ENTRIES);

        Map<String, Object> meta = new LinkedHashMap<>();
        Map<String, GgufFile.Kind> types = new HashMap<>();
        Map<String, Long> entryIndex = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string("the key of metadata entry " + i + " (of " + kvCount + ")");
            if (key.isEmpty()) {
                throw fail("metadata entry " + i + " (at byte " + at + ") has an empty key; the file is corrupt — " + REDOWNLOAD);
            }
            Long first = entryIndex.putIfAbsent(key, i);
            if (first != null) {
                throw fail("metadata key '" + key + "' appears twice (entries " + first + " and " + i + ", the second at byte " + at
                        + "); the file is corrupt — " + REDOWNLOAD);
            }
            long typeAt = pos;
            GgufValueType type = valueType(u32("the value type of '" + key + "'"), "metadata key '" + key + "' has value type", typeAt);
            if (type == GgufValueType.ARRAY) {
                long itemAt = pos;
                GgufValueType item = valueType(u32("the item type of array '" + key + "'"), "metadata array '" + key + "' has item type",
                        itemAt);
                if (item == GgufValueType.ARRAY) {
                    throw fail("metadata key '" + key + "' is an array of arrays (item type at byte " + itemAt + "); GGUF does not allow "
                            + "nested arrays (llama.cpp refuses them too), so the file is corrupt — " + REDOWNLOAD);
                }
                meta.put(key, array(key, item));
                types.put(key, new GgufFile.Kind(type, item));
            } else {
                meta.put(key, scalar(type, key));
                types.put(key, new GgufFile.Kind(type, null));
            }
        }
        int alignment = alignment(meta, types);

        record Info(String name, long[] shape, GgmlType type, long offset, long elements, long bytes) {
        }
        List<Info> infos = new ArrayList<>();
        Map<String, Long> tensorIndex = new HashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = pos;
            String name = string("the name of tensor " + i + " (of " + tensorCount + ") in the tensor table");
            int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes > MAX_NAME_BYTES) {
                throw fail("tensor " + i + " (at byte " + at + ") has a " + nameBytes + "-byte name '" + shorten(name) + "'; ggml allows at "
                        + "most " + MAX_NAME_BYTES + " bytes (llama.cpp refuses this file too) — " + REDOWNLOAD);
            }
            Long first = tensorIndex.putIfAbsent(name, i);
            if (first != null) {
                throw fail("two tensors are named '" + name + "' (tensors " + first + " and " + i + " of the tensor table, the second "
                        + "at byte " + at + "); the file is corrupt — " + REDOWNLOAD);
            }
            long dimsAt = pos;
            int dims = u32("the dimension count of tensor '" + name + "'");
            if (dims < 1 || dims > MAX_DIMS) {
                throw fail("tensor '" + name + "' has " + Integer.toUnsignedString(dims) + " dimensions (at byte " + dimsAt + "); ggml "
                        + "tensors have 1 to " + MAX_DIMS + ", so the file is corrupt — " + REDOWNLOAD);
            }
            long[] shape = new long[dims];
            long elements = 1;
            boolean overflow = false;
            for (int d = 0; d < dims; d++) {
                long dimAt = pos;
                shape[d] = i64("dimension " + d + " of tensor '" + name + "'");
                if (shape[d] <= 0) {
                    throw fail("tensor '" + name + "' has size " + shape[d] + " in dimension " + d + " (at byte " + dimAt
                            + (shape[d] < 0 ? ", " + Long.toUnsignedString(shape[d]) + " read as unsigned" : "")
                            + "); every dimension must be at least 1, so the file is corrupt — " + REDOWNLOAD);
                }
                if (!overflow) {
                    long hi = Math.multiplyHigh(elements, shape[d]);
                    long lo = elements * shape[d];
                    overflow = hi != 0 || lo < 0;
                    elements = lo;
                }
            }
            if (overflow) {
                throw fail("tensor '" + name + "' has shape " + shapeText(shape) + ", more elements than a 64-bit count holds; the "
                        + "file is corrupt — " + REDOWNLOAD);
            }
            long typeAt = pos;
            int typeId = u32("the type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> unknownType(name, typeId, typeAt));
            if (shape[0] % type.blockSize() != 0) {
                throw fail("tensor '" + name + "' has type " + type + ", which stores values in blocks of " + type.blockSize()
                        + ", but its rows have " + shape[0] + " values (shape " + shapeText(shape) + "), not a multiple of "
                        + type.blockSize() + "; the file is corrupt — " + REDOWNLOAD);
            }
            long bytes;
            try {
                bytes = type.bytesFor(elements);
            } catch (ArithmeticException e) {
                throw fail("tensor '" + name + "' of type " + type + " and shape " + shapeText(shape) + " would take more bytes than a "
                        + "64-bit size holds; the file is corrupt — " + REDOWNLOAD);
            }
            long offset = i64("the data offset of tensor '" + name + "'");
            infos.add(new Info(name, shape, type, offset, elements, bytes));
        }

        long tableEnd = pos;
        long dataOffset = align(tableEnd, alignment);
        if (!infos.isEmpty() && dataOffset > size) {
            throw fail("the tensor table ends at byte " + tableEnd + " and the tensor data should start at byte " + dataOffset
                    + ", but the file has only " + size + " bytes; the file is truncated — " + REDOWNLOAD);
        }
        long room = Math.max(0, size - dataOffset);
        for (Info t : infos) {
            if (Long.remainderUnsigned(t.offset(), alignment) != 0) {
                throw fail("tensor '" + t.name() + "' has data offset " + Long.toUnsignedString(t.offset()) + ", not a multiple of the "
                        + "file's alignment " + alignment + alignmentSource(meta) + "; the file is corrupt — " + REDOWNLOAD);
            }
            if (Long.compareUnsigned(t.offset(), room) >= 0) {
                throw fail("tensor '" + t.name() + "' has data offset " + Long.toUnsignedString(t.offset()) + " (from the data section "
                        + "at byte " + dataOffset + "), past the end of the file (" + size + " bytes); the file is truncated or "
                        + "corrupt — " + REDOWNLOAD);
            }
            if (t.bytes() > room - t.offset()) {
                throw fail("tensor '" + t.name() + "' (" + t.type() + ", shape " + shapeText(t.shape()) + ", " + t.bytes() + " bytes) "
                        + "needs bytes " + (dataOffset + t.offset()) + " to " + Long.toUnsignedString(dataOffset + t.offset() + t.bytes())
                        + " of the file, but the file ends at byte " + size + "; the file is truncated — " + REDOWNLOAD);
            }
        }
        List<Info> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(Info::offset));
        Info reach = null;
        for (Info t : byOffset) {
            if (reach != null && t.offset() < reach.offset() + reach.bytes()) {
                throw fail("tensors '" + reach.name() + "' (data bytes " + reach.offset() + " to " + (reach.offset() + reach.bytes())
                        + ") and '" + t.name() + "' (data bytes " + t.offset() + " to " + (t.offset() + t.bytes()) + ") overlap; the "
                        + "file is corrupt — " + REDOWNLOAD);
            }
            if (reach == null || t.offset() + t.bytes() > reach.offset() + reach.bytes()) {
                reach = t;
            }
        }
        List<GgufTensor> tensors = new ArrayList<>(infos.size());
        for (Info t : infos) {
            tensors.add(new GgufTensor(t.name(), t.shape(), t.type(), t.offset(), t.elements(),
                    seg.asSlice(dataOffset + t.offset(), t.bytes())));
        }
        return new GgufFile(path, version, Collections.unmodifiableMap(meta), Map.copyOf(types), List.copyOf(tensors), dataOffset,
                alignment, arena, seg);
    }

    private void checkMagic() {
        if (size < 4) {
            byte[] head = seg.toArray(ValueLayout.JAVA_BYTE);
            throw fail("not a GGUF file: it has only " + count(size, "byte") + " (" + printable(head) + "), and a GGUF file starts with the "
                    + "4 bytes \"GGUF\"; the file is truncated or is not a model — " + REDOWNLOAD);
        }
        if (seg.get(INT, 0) == MAGIC) {
            return;
        }
        byte[] head = seg.asSlice(0, Math.min(size, 64)).toArray(ValueLayout.JAVA_BYTE);
        throw fail("not a GGUF file (it starts with " + printable(java.util.Arrays.copyOf(head, 4)) + ", a GGUF file starts with "
                + "\"GGUF\")" + hint(head));
    }

    /** What the file probably is instead, from its first bytes, and what to do about it. */
    private String hint(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (head.length >= 9 && head[8] == '{') {
            long headerLength = MemorySegment.ofArray(head).get(LONG, 0);
            if (headerLength > 1 && headerLength <= size - 8) {
                return "; it looks like a safetensors file (Hugging Face weights): coach needs GGUF, so download a GGUF build of "
                        + "the model or convert it with llama.cpp's convert_hf_to_gguf.py";
            }
        }
        if (text.startsWith("PK\u0003\u0004")) {
            return "; it is a ZIP archive, most likely a PyTorch checkpoint (.pt, .pth or pytorch_model.bin): coach needs GGUF, "
                    + "so download a GGUF build of the model or convert it with llama.cpp's convert_hf_to_gguf.py";
        }
        if ((head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return "; it looks like a Python pickle (an old-style PyTorch checkpoint): coach needs GGUF, so download a GGUF build "
                    + "of the model or convert it with llama.cpp's convert_hf_to_gguf.py";
        }
        if (text.startsWith("lmgg") || text.startsWith("fmgg") || text.startsWith("tjgg")) {
            return "; it is a GGML/GGMF/GGJT file, the format llama.cpp used before GGUF: download a GGUF version of the model";
        }
        if (text.startsWith("version https://git-lfs")) {
            return "; it is a Git LFS pointer, not the model itself: fetch the real file (git lfs pull) or download it directly";
        }
        String trimmed = text.stripLeading().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("<!doctype") || trimmed.startsWith("<html") || trimmed.startsWith("<?xml")) {
            return "; it is a web page, so the download saved an error or login page instead of the model: download it again";
        }
        if (trimmed.startsWith("{")) {
            return "; it is JSON (a config or tokenizer file?), not a model: give the path of the .gguf file";
        }
        return "; it is not a model file coach can read — give the path of a .gguf file";
    }

    private void checkVersion(int version) {
        if (version == 2 || version == 3) {
            return;
        }
        String v = Integer.toUnsignedString(version);
        if (version == 0) {
            throw fail("the GGUF version is 0, which no GGUF writer produces; the file is corrupt — " + REDOWNLOAD);
        }
        if ((version & 0xffff) == 0) {
            throw fail("the GGUF version reads as " + v + String.format(Locale.ROOT, " (0x%08x)", version) + ", which looks byte-swapped: "
                    + "this is probably a big-endian GGUF file, and coach reads only little-endian ones — get the ordinary "
                    + "(little-endian) GGUF file of the model");
        }
        if (version == 1) {
            throw fail("GGUF version 1 is an early format that neither coach nor current llama.cpp reads; coach reads GGUF "
                    + "versions 2 and 3 — download a current GGUF file of the model or convert it again with a current llama.cpp");
        }
        throw fail("GGUF version " + v + " is newer than coach reads (versions 2 and 3); get a version 3 file of the model "
                + "or a coach release that reads version " + v);
    }

    /**
     * Refuses a count that is negative or above {@code max}. A count that fits under the cap but not in the rest of
     * the file is left to the reading loop, which then names the exact field where the file ends.
     */
    private void checkCount(long count, String what, long at, int minBytesEach, long max) {
        if (count < 0 || count > max) {
            throw fail("the header says the file holds " + Long.toUnsignedString(count) + " " + what + " (at byte " + at + "); coach "
                    + "accepts at most " + max + " and real models have far fewer (the " + remaining() + " bytes after the header "
                    + "could hold at most " + remaining() / minBytesEach + "), so the header is corrupt — " + REDOWNLOAD);
        }
    }

    private GgufValueType valueType(int id, String what, long at) {
        return GgufValueType.byId(id).orElseThrow(() -> fail(what + " " + Integer.toUnsignedString(id) + " (at byte "
                + at + "), which GGUF does not define (types are 0 to 12); the file is corrupt or was written by a newer tool — "
                + REDOWNLOAD));
    }

    private GgufException unknownType(String name, int id, long at) {
        String retired = GgmlType.retiredName(id).orElse(null);
        if (retired != null) {
            return fail("tensor '" + name + "' has ggml type " + id + " (" + retired + ", at byte " + at + "), a layout ggml no longer "
                    + "stores in files; get a file quantized with a current llama.cpp (coach supports " + GgmlType.supportedList() + ")");
        }
        GgmlType[] all = GgmlType.values();
        return fail("tensor '" + name + "' has ggml type number " + Integer.toUnsignedString(id) + " (at byte " + at + "), which coach "
                + "does not know (it knows types 0 to " + all[all.length - 1].id() + "); the file is corrupt or was written by a "
                + "newer llama.cpp — get a file quantized to one of " + GgmlType.supportedList());
    }

    private int alignment(Map<String, Object> meta, Map<String, GgufFile.Kind> types) {
        Object a = meta.get("general.alignment");
        if (a == null) {
            return DEFAULT_ALIGNMENT;
        }
        GgufFile.Kind kind = types.get("general.alignment");
        if (kind.type() != GgufValueType.UINT32) {
            throw fail("general.alignment is " + GgufFile.describe(kind.label(), a) + ", but GGUF requires a uint32 "
                    + "(llama.cpp refuses this file too); the file is corrupt — " + REDOWNLOAD);
        }
        long n = (Long) a;
        if (n == 0 || Long.bitCount(n) != 1) {
            throw fail("general.alignment is " + n + ", which is not a power of two (tensor data is aligned to 1, 2, 4, 8, ... "
                    + "bytes, usually 32); the file is corrupt — " + REDOWNLOAD);
        }
        if (n > MAX_ALIGNMENT) {
            throw fail("general.alignment is " + n + ", more than coach accepts (" + MAX_ALIGNMENT + "); the file is corrupt — "
                    + REDOWNLOAD);
        }
        return (int) n;
    }

    private static String alignmentSource(Map<String, Object> meta) {
        return meta.containsKey("general.alignment") ? " (from general.alignment)" : " (the default, as general.alignment is not set)";
    }

    private Object scalar(GgufValueType type, String key) {
        String what = "the value of '" + key + "'";
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(take(1, what).get(ValueLayout.JAVA_BYTE, 0));
            case INT8 -> (long) take(1, what).get(ValueLayout.JAVA_BYTE, 0);
            case UINT16 -> (long) Short.toUnsignedInt(take(2, what).get(SHORT, 0));
            case INT16 -> (long) take(2, what).get(SHORT, 0);
            case UINT32 -> Integer.toUnsignedLong(take(4, what).get(INT, 0));
            case INT32 -> (long) take(4, what).get(INT, 0);
            case FLOAT32 -> take(4, what).get(FLOAT, 0);
            case BOOL -> {
                byte b = take(1, what).get(ValueLayout.JAVA_BYTE, 0);
                if (b != 0 && b != 1) {
                    throw fail("'" + key + "' is a bool with value " + b + " at byte " + (pos - 1) + " (a bool is 0 or 1); the file "
                            + "is corrupt — " + REDOWNLOAD);
                }
                yield b == 1;
            }
            case STRING -> string(what);
            case UINT64, INT64 -> take(8, what).get(LONG, 0);
            case FLOAT64 -> take(8, what).get(DOUBLE, 0);
            case ARRAY -> throw new IllegalStateException("arrays are read by array()");
        };
    }

    private List<?> array(String key, GgufValueType item) {
        long countAt = pos;
        long count = i64("the length of array '" + key + "'");
        long room = remaining() / item.minSize();
        if (count < 0 || count > room) {
            throw fail("metadata array '" + key + "' claims " + Long.toUnsignedString(count) + " items of type " + item.label()
                    + " (length at byte " + countAt + "), but the " + count(remaining(), "byte") + " left in the file could hold at most " + room
                    + "; the file is truncated or corrupt — " + REDOWNLOAD);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw fail("metadata array '" + key + "' has " + count + " items (length at byte " + countAt + "), more than coach "
                    + "accepts (" + (Integer.MAX_VALUE - 8) + "); the file is corrupt — " + REDOWNLOAD);
        }
        int n = (int) count;
        if (item == GgufValueType.STRING) {
            List<String> items = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                items.add(string("item " + i + " of array '" + key + "'"));
            }
            return Collections.unmodifiableList(items);
        }
        MemorySegment data = take((long) n * item.size(), "the " + n + " items of array '" + key + "'");
        if (item == GgufValueType.BOOL) {
            for (int i = 0; i < n; i++) {
                byte b = data.get(ValueLayout.JAVA_BYTE, i);
                if (b != 0 && b != 1) {
                    throw fail("item " + i + " of bool array '" + key + "' is " + b + " (at byte " + (data.address() - seg.address() + i)
                            + "; a bool is 0 or 1); the file is corrupt — " + REDOWNLOAD);
                }
            }
        }
        return new MappedArray(path, key, item, data, n);
    }

    private MemorySegment take(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw fail("the file ends at byte " + size + ", in the middle of " + what + " (" + count(n, "byte") + " needed at byte " + pos
                    + "); the file is truncated — " + REDOWNLOAD);
        }
        MemorySegment s = seg.asSlice(pos, n);
        pos += n;
        return s;
    }

    private int u32(String what) {
        return take(4, what).get(INT, 0);
    }

    private long i64(String what) {
        return take(8, what).get(LONG, 0);
    }

    private String string(String what) {
        long at = pos;
        long len = i64("the length of " + what);
        if (len < 0 || len > remaining()) {
            throw fail(what + " claims to be " + Long.toUnsignedString(len) + " bytes long (length at byte " + at + "), but only "
                    + count(remaining(), "byte") + " left in the file; the file is truncated or corrupt — " + REDOWNLOAD);
        }
        strings++;
        stringBytes += len;
        if (strings > MAX_STRINGS || stringBytes > MAX_STRING_BYTES) {
            throw fail("the metadata holds more than " + (strings > MAX_STRINGS ? MAX_STRINGS + " strings" : (MAX_STRING_BYTES >> 20)
                    + " MiB of strings") + " (reached at " + what + ", byte " + at + "), more than coach accepts; real models "
                    + "have far less, so the file is corrupt — " + REDOWNLOAD);
        }
        MemorySegment bytes = take(len, what);
        try {
            CharBuffer chars = utf8.reset().decode(bytes.asByteBuffer());
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw fail(what + " (" + len + " bytes at byte " + (at + 8) + ") is not valid UTF-8; the file is corrupt — " + REDOWNLOAD);
        }
    }

    private long remaining() {
        return size - pos;
    }

    static long align(long x, int a) {
        return (x + a - 1) / a * a;
    }

    static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(']').toString();
    }

    /** "1 byte", "2 bytes". */
    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('"').toString();
    }
}
