package dev.coach.engine.tokenizer;

import dev.coach.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenizer for {@code tokenizer.ggml.model = "llama"} (Llama 2, Mistral, Gemma, ...), as llama.cpp
 * implements it: spaces become {@code ▁}, a space is put in front of the text and after every special token
 * ({@code tokenizer.ggml.add_space_prefix}, default on), then adjacent pieces are merged, highest
 * {@code tokenizer.ggml.scores} first, as long as the merged text is a vocabulary entry; what is left that is not a
 * vocabulary entry falls back to {@code <0xNN>} byte tokens.
 */
public final class SentencePieceTokenizer extends VocabTokenizer {
    private static final String[] BYTE_TOKENS = new String[256];

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_TOKENS[b] = String.format("<0x%02X>", b);
        }
    }

    /** Token id for each byte value, resolved lazily (-2 = not looked up yet, -1 = none). */
    private final int[] byteIds = new int[256];

    SentencePieceTokenizer(Vocab vocab) {
        super(vocab);
        java.util.Arrays.fill(byteIds, -2);
    }

    /**
     * Builds a tokenizer from vocabulary arrays and GGUF-style metadata (the keys llama.cpp reads: special token ids,
     * {@code add_bos_token}, {@code add_eos_token}, {@code add_space_prefix}).
     *
     * @param scores per-token scores (null: all 0)
     * @param types  per-token GGUF types (null: all normal)
     */
    public SentencePieceTokenizer(List<String> tokens, float[] scores, int[] types, Map<String, Object> metadata) {
        this(new Vocab(Vocab.Kind.SPM, null, tokens, scores, types, metadata));
    }

    /** Builds the tokenizer from a GGUF file whose {@code tokenizer.ggml.model} is {@code llama}. */
    public static SentencePieceTokenizer from(GgufFile f) {
        String model = f.string("tokenizer.ggml.model").orElse(null);
        if (model != null && !model.equals("llama")) {
            throw new IllegalArgumentException("tokenizer.ggml.model is '" + model + "', not 'llama'");
        }
        return new SentencePieceTokenizer(Vocab.from(f, Vocab.Kind.SPM, null));
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        BpeTokenizer.IntList out = new BpeTokenizer.IntList();
        List<Vocab.Fragment> frags = vocab.partition(text, parseSpecial);
        if (addSpecial && vocab.addBos) {
            out.add(requireSpecial(vocab.bos, "BOS"));
        }
        boolean afterSpecial = true; // the text start counts as following a special token
        for (Vocab.Fragment f : frags) {
            if (!f.isText()) {
                out.add(f.token());
                afterSpecial = true;
                continue;
            }
            String piece = text.substring(f.start(), f.end());
            if (vocab.addSpacePrefix && afterSpecial) {
                piece = " " + piece;
            }
            encodePiece(piece.replace(' ', '▁'), out);
            afterSpecial = false;
        }
        if (addSpecial && vocab.addEos) {
            out.add(requireSpecial(vocab.eos, "EOS"));
        }
        return out.toArray();
    }

    private static int requireSpecial(int id, String what) {
        if (id < 0) {
            throw new IllegalStateException("the vocabulary asks for a " + what + " token but has none");
        }
        return id;
    }

    private record Bigram(int left, int right, float score, int size) {
    }

    /** Merges one escaped text fragment and appends its ids. */
    private void encodePiece(String s, BpeTokenizer.IntList out) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        int[] start = new int[bytes.length];
        int[] len = new int[bytes.length];
        for (int off = 0; off < bytes.length; ) {
            int l = Math.min(utf8Length(bytes[off]), bytes.length - off);
            start[n] = off;
            len[n] = l;
            n++;
            off += l;
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Highest score first; on equal scores the leftmost pair.
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score() != b.score()
                ? Float.compare(b.score(), a.score()) : Integer.compare(a.left(), b.left()));
        for (int i = 1; i < n; i++) {
            addBigram(queue, bytes, start, len, i - 1, i);
        }
        while (!queue.isEmpty()) {
            Bigram g = queue.poll();
            // Stale: one side has been merged into something else since the pair was queued.
            if (len[g.left()] == 0 || len[g.right()] == 0 || len[g.left()] + len[g.right()] != g.size()) {
                continue;
            }
            len[g.left()] += len[g.right()];
            len[g.right()] = 0;
            next[g.left()] = next[g.right()];
            if (next[g.right()] >= 0) {
                prev[next[g.right()]] = g.left();
            }
            addBigram(queue, bytes, start, len, prev[g.left()], g.left());
            addBigram(queue, bytes, start, len, g.left(), next[g.left()]);
        }
        // Every merged symbol is a vocabulary entry; a single character may not be, and then goes out as bytes.
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            int id = vocab.id(new String(bytes, start[i], len[i], StandardCharsets.UTF_8));
            if (id >= 0) {
                out.add(id);
                continue;
            }
            for (int k = start[i]; k < start[i] + len[i]; k++) {
                out.add(byteToken(bytes[k] & 0xFF));
            }
        }
    }

    private void addBigram(PriorityQueue<Bigram> queue, byte[] bytes, int[] start, int[] len, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        int size = len[left] + len[right];
        int id = vocab.id(new String(bytes, start[left], size, StandardCharsets.UTF_8));
        if (id < 0) {
            return;
        }
        queue.add(new Bigram(left, right, vocab.score(id), size));
    }

    /** The token for one byte: {@code <0xNN>}, else the byte itself as a one-character token. */
    private int byteToken(int b) {
        int id = byteIds[b];
        if (id == -2) {
            id = vocab.id(BYTE_TOKENS[b]);
            if (id < 0 && b < 0x80) {
                id = vocab.id(String.valueOf((char) b));
            }
            byteIds[b] = id;
        }
        if (id < 0) {
            throw new IllegalStateException("the text needs byte " + BYTE_TOKENS[b] + ", which this vocabulary lacks"
                    + " (llama.cpp fails on such text too)");
        }
        return id;
    }

    /** Bytes in the UTF-8 sequence that starts with this byte, judged by its top four bits (as llama.cpp does). */
    static int utf8Length(byte lead) {
        int hi = (lead & 0xFF) >> 4;
        return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
    }

    /** The unknown token, or -1. llama.cpp never produces it when tokenizing; bytes without a piece fall back to bytes. */
    public int unknownId() {
        return vocab.unk;
    }

    /** The token's score. */
    public float score(int id) {
        return vocab.score(vocab.check(id));
    }

    /** Whether a space is put in front of the text (tokenizer.ggml.add_space_prefix). */
    public boolean addsSpacePrefix() {
        return vocab.addSpacePrefix;
    }
}
