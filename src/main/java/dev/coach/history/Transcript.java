package dev.coach.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session's transcript: JSON Lines, one event per line, each appended and synced to disk before the call
 * returns, so a crash (even kill -9) loses at most the answer being typed. A torn last line is skipped on read.
 */
public final class Transcript implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel channel;

    private Transcript(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file} for appending (creating it and its directory). */
    public static Transcript append(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Transcript(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transcript " + file + ": " + e.getMessage(), e);
        }
    }

    /** A transcript that writes nothing (for dry runs and tests). */
    public static Transcript none() {
        return new Transcript(null, null);
    }

    public Path file() {
        return file;
    }

    /** Appends one event and syncs it. */
    public synchronized void write(Map<String, Object> event) {
        if (channel == null) {
            return;
        }
        try {
            byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transcript " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every complete event in {@code file}; a final line cut off by a crash is ignored. */
    public static List<JsonNode> read(Path file) {
        List<JsonNode> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the transcript " + file + ": " + e.getMessage(), e);
        }
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(l));
            } catch (IOException e) {
                // a torn line (the process died mid-write) or damage: skip it
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a synced append-only file loses nothing
            }
        }
    }
}
