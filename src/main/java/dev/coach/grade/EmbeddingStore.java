package dev.coach.grade;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sentence vectors kept on disk between runs, one append-only file per embedding model, so the bank's outline
 * points and traps are embedded once per machine rather than once per run. Each record is the SHA-256 of the
 * text, the dimension and the floats; new records are appended and synced when the store is flushed. A torn
 * record at the end (a crash mid-write) is ignored on the next load, never read as data.
 */
public final class EmbeddingStore {
    private static final int MAGIC = 0x43454d42; // "CEMB"

    private final Path file;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final Map<String, float[]> pending = new ConcurrentHashMap<>();

    private EmbeddingStore(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the store for {@code model} under {@code dir}; a null dir gives a store that keeps nothing. */
    public static EmbeddingStore open(Path dir, String model) {
        EmbeddingStore s = new EmbeddingStore(dir == null ? null : dir.resolve(model + ".vectors"));
        s.load();
        return s;
    }

    public static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public float[] get(String text) {
        return vectors.get(key(text));
    }

    public void put(String text, float[] v) {
        String k = key(text);
        if (vectors.putIfAbsent(k, v) == null && file != null) {
            pending.put(k, v);
        }
    }

    public int size() {
        return vectors.size();
    }

    /** Appends the new vectors and syncs; failures are swallowed (the store is only a cache). */
    public synchronized void flush() {
        if (file == null || pending.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                if (fresh) {
                    ch.write(ByteBuffer.allocate(4).putInt(MAGIC).flip());
                }
                for (Map.Entry<String, float[]> e : pending.entrySet()) {
                    float[] v = e.getValue();
                    ByteBuffer b = ByteBuffer.allocate(32 + 4 + 4 * v.length).order(ByteOrder.BIG_ENDIAN);
                    b.put(HexFormat.of().parseHex(e.getKey())).putInt(v.length);
                    for (float f : v) {
                        b.putFloat(f);
                    }
                    ch.write(b.flip());
                }
                ch.force(true);
            }
            pending.clear();
        } catch (IOException | RuntimeException ignored) {
            // a cache that cannot be written only costs time
        }
    }

    private void load() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                return;
            }
            byte[] k = new byte[32];
            while (true) {
                in.readFully(k);
                int dim = in.readInt();
                if (dim <= 0 || dim > 8192) {
                    return;
                }
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    v[i] = in.readFloat();
                }
                vectors.put(HexFormat.of().formatHex(k), v);
            }
        } catch (EOFException e) {
            // end of file, or a torn last record: everything before it is kept
        } catch (IOException e) {
            vectors.clear();
        }
    }
}
