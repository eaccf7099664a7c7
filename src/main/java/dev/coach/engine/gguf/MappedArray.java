package dev.coach.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A GGUF metadata array of fixed-size values (numbers or bools), read on demand from the mapped file instead of
 * being copied, so an array of any length costs no heap. Items come out boxed the same way scalar metadata does:
 * integers as {@link Long}, float32 as {@link Float}, float64 as {@link Double}, bools as {@link Boolean}. The array
 * can be read only while its {@link GgufFile} is open.
 */
final class MappedArray extends AbstractList<Object> implements RandomAccess {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final String key;
    private final GgufValueType item;
    private final MemorySegment data;
    private final int size;

    MappedArray(Path path, String key, GgufValueType item, MemorySegment data, int size) {
        if (item.size() == 0) {
            throw new IllegalArgumentException("not a fixed-size type: " + item);
        }
        this.path = path;
        this.key = key;
        this.item = item;
        this.data = data;
        this.size = size;
    }

    GgufValueType itemType() {
        return item;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, size);
        return switch (item) {
            case FLOAT32 -> floatAt(index);
            case FLOAT64 -> doubleAt(index);
            case BOOL -> longAt(index) != 0;
            default -> longAt(index);
        };
    }

    /** Item {@code i} as an integer: unsigned types zero-extended, uint64 as its raw bits. Only for integer and bool items. */
    long longAt(int i) {
        long at = (long) i * item.size();
        try {
            return switch (item) {
                case UINT8, BOOL -> Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, at));
                case INT8 -> data.get(ValueLayout.JAVA_BYTE, at);
                case UINT16 -> Short.toUnsignedLong(data.get(SHORT, at));
                case INT16 -> data.get(SHORT, at);
                case UINT32 -> Integer.toUnsignedLong(data.get(INT, at));
                case INT32 -> data.get(INT, at);
                case UINT64, INT64 -> data.get(LONG, at);
                default -> throw new IllegalStateException("not an integer array: " + item);
            };
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    float floatAt(int i) {
        try {
            return data.get(FLOAT, (long) i * 4);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    double doubleAt(int i) {
        try {
            return data.get(DOUBLE, (long) i * 8);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    private RuntimeException closed(IllegalStateException e) {
        if (data.scope().isAlive()) {
            return e;
        }
        return new GgufException(path + ": metadata array '" + key + "' was read after the file was closed; read or copy it "
                + "(for example with GgufFile.floatArray) while the GgufFile is open", e);
    }
}
