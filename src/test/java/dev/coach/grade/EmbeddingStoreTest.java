package dev.coach.grade;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EmbeddingStoreTest {
    @TempDir
    Path dir;

    @Test
    void vectorsSurviveAReopen() {
        EmbeddingStore s = EmbeddingStore.open(dir, "m");
        s.put("alpha", new float[] {1f, 2f, 3f});
        s.put("beta", new float[] {0.5f, -0.5f, 0f});
        s.flush();
        s.put("gamma", new float[] {9f, 9f, 9f});
        s.flush();
        EmbeddingStore again = EmbeddingStore.open(dir, "m");
        assertEquals(3, again.size());
        assertArrayEquals(new float[] {0.5f, -0.5f, 0f}, again.get("beta"));
        assertArrayEquals(new float[] {9f, 9f, 9f}, again.get("gamma"));
    }

    @Test
    void aTornLastRecordIsDroppedAndTheRestKept() throws Exception {
        EmbeddingStore s = EmbeddingStore.open(dir, "m");
        s.put("alpha", new float[] {1f, 2f, 3f});
        s.put("beta", new float[] {4f, 5f, 6f});
        s.flush();
        Path f = dir.resolve("m.vectors");
        long size = Files.size(f);
        try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        EmbeddingStore again = EmbeddingStore.open(dir, "m");
        assertEquals(1, again.size(), "the record cut by the crash is not read as data");
    }

    @Test
    void aForeignFileIsIgnored() throws Exception {
        Files.writeString(dir.resolve("m.vectors"), "not a vector store");
        EmbeddingStore s = EmbeddingStore.open(dir, "m");
        assertEquals(0, s.size());
        assertNull(s.get("alpha"));
    }

    @Test
    void withoutADirectoryNothingIsWritten() throws Exception {
        EmbeddingStore s = EmbeddingStore.open(null, "m");
        s.put("alpha", new float[] {1f});
        s.flush();
        assertArrayEquals(new float[] {1f}, s.get("alpha"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
