package dev.coach.engine.gguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model file, mapped (not copied) into memory: its version, metadata and tensors. Close it to unmap.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final List<GgufTensor> tensors;
    private final long dataOffset;
    private final int alignment;
    private final Arena arena;
    private final MemorySegment segment;

    GgufFile(Path path, int version, Map<String, Object> metadata, List<GgufTensor> tensors, long dataOffset, int alignment,
             Arena arena, MemorySegment segment) {
        this.path = path;
        this.version = version;
        this.metadata = metadata;
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

    public Optional<String> string(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Long> integer(String key) {
        return metadata.get(key) instanceof Number n && !(metadata.get(key) instanceof Float || metadata.get(key) instanceof Double)
                ? Optional.of(n.longValue()) : Optional.empty();
    }

    public Optional<String> architecture() {
        return string("general.architecture");
    }

    @Override
    public void close() {
        arena.close();
    }
}
