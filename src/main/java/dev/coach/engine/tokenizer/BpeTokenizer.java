package dev.coach.engine.tokenizer;

import dev.coach.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE as llama.cpp implements it for {@code tokenizer.ggml.model = "gpt2"} (Llama 3, Qwen, ...): special
 * tokens are split out first, the rest is cut into pre-tokens by the {@code tokenizer.ggml.pre} regexes, each
 * pre-token's bytes are mapped to the GPT-2 byte alphabet and merged by {@code tokenizer.ggml.merges} rank.
 */
public final class BpeTokenizer extends VocabTokenizer {
    private final Map<String, Integer> ranks = new HashMap<>();
    private final PreTokenizer pre;

    /**
     * @param tokens     vocabulary, byte-level encoded (id = index)
     * @param merges     "left right" strings, rank = index
     * @param tokenTypes per-token GGUF type (3 = control, 4 = user-defined, ...), or null for all normal
     * @param bos        BOS id, or -1 for llama.cpp's default (id 11 if the vocabulary has it)
     * @param eos        EOS id, or -1 for llama.cpp's default (id 11 if the vocabulary has it)
     * @param pre        the {@code tokenizer.ggml.pre} name (null = llama.cpp's default)
     */
    public BpeTokenizer(List<String> tokens, List<String> merges, List<Integer> tokenTypes, int bos, int eos, String pre) {
        this(new Vocab(Vocab.Kind.BPE, pre, tokens, null,
                tokenTypes == null ? null : tokenTypes.stream().mapToInt(Integer::intValue).toArray(), ids(bos, eos, tokens.size())),
                merges, pre);
    }

    private static Map<String, Object> ids(int bos, int eos, int n) {
        Map<String, Object> m = new HashMap<>();
        for (int id : new int[] {bos, eos}) {
            if (id >= n) {
                throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary of " + n);
            }
        }
        if (bos >= 0) {
            m.put("tokenizer.ggml.bos_token_id", (long) bos);
        }
        if (eos >= 0) {
            m.put("tokenizer.ggml.eos_token_id", (long) eos);
        }
        return m;
    }

    private BpeTokenizer(Vocab vocab, List<String> merges, String pre) {
        super(vocab);
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            int sp = m.indexOf(' ', 1);
            if (sp < 0) {
                continue; // llama.cpp files such an entry under an empty pair, which never matches
            }
            ranks.putIfAbsent(m, r); // the first rank of a repeated pair counts
        }
        try {
            this.pre = PreTokenizer.forName(pre);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenizer.ggml.pre is '" + pre + "', a pre-tokenizer coach does not "
                    + "implement; supported: llama-bpe (Llama 3), qwen2, gpt-2, smollm, starcoder and a few others", e);
        }
    }

    /** Builds the tokenizer from GGUF metadata. */
    public static BpeTokenizer from(GgufFile f) {
        String model = f.string("tokenizer.ggml.model").orElse(null);
        if (model != null && !model.equals("gpt2")) {
            throw new IllegalArgumentException("tokenizer.ggml.model is '" + model + "', not 'gpt2'");
        }
        String pre = f.string("tokenizer.ggml.pre").orElse(null);
        List<String> merges = Vocab.strings(f.metadata().get("tokenizer.ggml.merges"), "tokenizer.ggml.merges");
        if (merges == null) {
            throw new IllegalArgumentException("tokenizer.ggml.merges is missing (a BPE vocabulary needs its merges)");
        }
        return new BpeTokenizer(Vocab.from(f, Vocab.Kind.BPE, pre), merges, pre);
    }

    public PreTokenizer preTokenizer() {
        return pre;
    }

    /** Encodes with special tokens parsed. */
    public int[] encode(String text, boolean addBos) {
        return encode(text, addBos, true);
    }

    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList();
        if (addSpecial && vocab.addBos) {
            if (vocab.bos < 0) {
                throw new IllegalStateException("the vocabulary asks for a BOS token but has none");
            }
            out.add(vocab.bos);
        }
        for (Vocab.Fragment f : vocab.partition(text, parseSpecial)) {
            if (f.isText()) {
                encodeText(text.substring(f.start(), f.end()), out);
            } else {
                out.add(f.token());
            }
        }
        if (addSpecial && vocab.addEos) {
            if (vocab.eos < 0) {
                throw new IllegalStateException("the vocabulary asks for an EOS token but has none");
            }
            out.add(vocab.eos);
        }
        return out.toArray();
    }

    private void encodeText(String text, IntList out) {
        for (String piece : pre.split(text)) {
            bpe(ByteUnicode.encode(piece.getBytes(StandardCharsets.UTF_8)), out);
        }
    }

    private record Pair(int left, int right, int rank, String text) {
    }

    /** Merges one byte-encoded pre-token, lowest rank first (leftmost on ties), and appends its ids. */
    void bpe(String word, IntList out) {
        if (vocab.ignoreMerges) {
            int whole = vocab.id(word);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        int n = word.codePointCount(0, word.length());
        String[] sym = new String[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int k = 0, off = 0; k < n; k++) {
            int end = word.offsetByCodePoints(off, 1);
            sym[k] = word.substring(off, end);
            off = end;
            prev[k] = k - 1;
            next[k] = k + 1 < n ? k + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>(
                Comparator.comparingInt(Pair::rank).thenComparingInt(Pair::left));
        for (int k = 0; k + 1 < n; k++) {
            addPair(queue, sym, k, k + 1);
        }
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            String l = sym[p.left()];
            String r = sym[p.right()];
            // Stale entries: one side was merged away or changed since the pair was queued.
            if (l == null || r == null || next[p.left()] != p.right() || !p.text().equals(l + r)) {
                continue;
            }
            sym[p.left()] = p.text();
            sym[p.right()] = null;
            int nr = next[p.right()];
            next[p.left()] = nr;
            if (nr >= 0) {
                prev[nr] = p.left();
            }
            if (prev[p.left()] >= 0) {
                addPair(queue, sym, prev[p.left()], p.left());
            }
            if (nr >= 0) {
                addPair(queue, sym, p.left(), nr);
            }
        }
        for (int k = 0; k >= 0 && k < n; k = next[k]) {
            int id = vocab.id(sym[k]);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // Not in the vocabulary: llama.cpp looks up each byte of the symbol's UTF-8 text as a one-byte token,
            // which only an ASCII byte can be, and skips the bytes it does not find.
            for (byte b : sym[k].getBytes(StandardCharsets.UTF_8)) {
                int c = b >= 0 ? vocab.id(String.valueOf((char) b)) : -1;
                if (c >= 0) {
                    out.add(c);
                }
            }
        }
    }

    private void addPair(PriorityQueue<Pair> queue, String[] sym, int left, int right) {
        Integer rank = ranks.get(sym[left] + " " + sym[right]);
        if (rank != null) {
            queue.add(new Pair(left, right, rank, sym[left] + sym[right]));
        }
    }

    /** The raw bytes one token stands for. */
    /** A streaming decoder that returns only complete UTF-8 characters, holding back a split sequence. */
    @Override
    public Decoder decoder(boolean renderControl) {
        return new Decoder(id -> vocab.piece(id, renderControl));
    }

    /** The streaming decoder of a BPE vocabulary. */
    public static final class Decoder extends StreamDecoder {
        private Decoder(java.util.function.IntFunction<byte[]> piece) {
            super(piece);
        }
    }

    /** Length of the longest prefix that does not end inside an incomplete UTF-8 sequence. */
    static int completePrefix(byte[] b) {
        return StreamDecoder.completePrefix(b);
    }

    static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
