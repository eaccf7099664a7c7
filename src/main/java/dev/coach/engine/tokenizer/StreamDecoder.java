package dev.coach.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Turns tokens arriving one at a time into text, returning only complete UTF-8 characters and holding back a sequence
 * whose bytes are split across tokens (byte-fallback tokens, byte-level BPE pieces).
 */
public class StreamDecoder {
    private final IntFunction<byte[]> piece;
    private byte[] pending = new byte[0];

    /** @param piece the bytes of one token as it should be shown */
    public StreamDecoder(IntFunction<byte[]> piece) {
        this.piece = piece;
    }

    /** Adds one token; returns the text that is now complete (possibly empty). */
    public String next(int id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(pending);
        b.writeBytes(piece.apply(id));
        byte[] all = b.toByteArray();
        int cut = completePrefix(all);
        pending = Arrays.copyOfRange(all, cut, all.length);
        return new String(all, 0, cut, StandardCharsets.UTF_8);
    }

    /** Whether bytes of an incomplete character are held back. */
    public boolean hasPending() {
        return pending.length > 0;
    }

    /** Returns whatever is held back (an incomplete sequence decodes to U+FFFD) and resets. */
    public String flush() {
        String s = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return s;
    }

    /** Length of the longest prefix that does not end inside an incomplete UTF-8 sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = c >= 0xF0 && c <= 0xF7 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 1) : c >= 0xC0 ? 2 : 1;
            return back < need ? n - back : n;
        }
        return n;
    }
}
