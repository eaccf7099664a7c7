package dev.coach.engine.tokenizer;

import dev.coach.engine.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** Byte-level BPE as llama.cpp implements it for {@code tokenizer.ggml.model = "gpt2"}. */
public final class BpeTokenizer {
    public static final int TYPE_NORMAL = 1;
    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_USER_DEFINED = 4;
    public static final int TYPE_UNUSED = 5;
    public static final int TYPE_BYTE = 6;

    private final String[] tokens;
    private final int[] types;
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final PreTokenizer pre;
    private final boolean ignoreMerges;
    private final int bos;
    private final int eos;
    /** Special tokens by first char, longest first. */
    private final Map<Character, List<Integer>> specials = new HashMap<>();

    /**
     * @param tokens     vocabulary, byte-level encoded (id = index)
     * @param merges     "left right" strings, rank = index
     * @param tokenTypes per-token type (3 = control, 4 = user-defined), or null for all normal
     * @param bos        BOS id or -1
     * @param eos        EOS id or -1
     * @param pre        the {@code tokenizer.ggml.pre} name (null = GPT-2)
     */
    public BpeTokenizer(List<String> tokens, List<String> merges, List<Integer> tokenTypes, int bos, int eos, String pre) {
        this.tokens = tokens.toArray(String[]::new);
        this.types = new int[this.tokens.length];
        for (int i = 0; i < this.tokens.length; i++) {
            types[i] = tokenTypes == null ? TYPE_NORMAL : tokenTypes.get(i);
            ids.putIfAbsent(this.tokens[i], i);
        }
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            int sp = m.indexOf(' ', 1);
            if (sp < 0) {
                throw new IllegalArgumentException("merge " + r + " has no space: '" + m + "'");
            }
            ranks.putIfAbsent(m.substring(0, sp) + " " + m.substring(sp + 1), r);
        }
        this.pre = PreTokenizer.forName(pre);
        String p = pre == null ? "" : pre;
        // llama.cpp: the Llama 3 pre-tokenizer sets ignore_merges (a pre-token that is a whole token is emitted as is).
        this.ignoreMerges = p.equals("llama-bpe") || p.equals("llama3") || p.equals("llama-v3");
        this.bos = checkId(bos);
        this.eos = checkId(eos);
        List<Integer> sp = new ArrayList<>();
        for (int i = 0; i < this.tokens.length; i++) {
            if ((types[i] == TYPE_CONTROL || types[i] == TYPE_USER_DEFINED) && !this.tokens[i].isEmpty()) {
                sp.add(i);
            }
        }
        sp.sort(Comparator.comparingInt((Integer i) -> -this.tokens[i].length()).thenComparingInt(i -> i));
        for (int i : sp) {
            specials.computeIfAbsent(this.tokens[i].charAt(0), k -> new ArrayList<>()).add(i);
        }
    }

    private int checkId(int id) {
        if (id >= tokens.length) {
            throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary of " + tokens.length);
        }
        return id;
    }

    /** Builds the tokenizer from GGUF metadata. */
    public static BpeTokenizer from(GgufFile f) {
        Map<String, Object> md = f.metadata();
        String model = f.string("tokenizer.ggml.model").orElse(null);
        if (model != null && !model.equals("gpt2")) {
            throw new IllegalArgumentException("tokenizer.ggml.model is '" + model + "', not 'gpt2'");
        }
        List<String> toks = strings(md.get("tokenizer.ggml.tokens"), "tokenizer.ggml.tokens");
        if (toks == null) {
            throw new IllegalArgumentException("tokenizer.ggml.tokens is missing");
        }
        List<String> merges = strings(md.get("tokenizer.ggml.merges"), "tokenizer.ggml.merges");
        List<Integer> types = null;
        if (md.get("tokenizer.ggml.token_type") instanceof List<?> l) {
            types = new ArrayList<>();
            for (Object o : l) {
                types.add(((Number) o).intValue());
            }
            if (types.size() != toks.size()) {
                throw new IllegalArgumentException("token_type has " + types.size() + " entries for " + toks.size() + " tokens");
            }
        }
        int bos = f.integer("tokenizer.ggml.bos_token_id").map(Long::intValue).orElse(-1);
        int eos = f.integer("tokenizer.ggml.eos_token_id").map(Long::intValue).orElse(-1);
        return new BpeTokenizer(toks, merges == null ? List.of() : merges, types, bos, eos,
                f.string("tokenizer.ggml.pre").orElse(null));
    }

    private static List<String> strings(Object o, String key) {
        if (o == null) {
            return null;
        }
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " is not an array");
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object x : l) {
            if (!(x instanceof String s)) {
                throw new IllegalArgumentException(key + " holds a non-string");
            }
            out.add(s);
        }
        return out;
    }

    public int vocabSize() {
        return tokens.length;
    }

    public int bosId() {
        return bos;
    }

    public int eosId() {
        return eos;
    }

    public String token(int id) {
        return tokens[id];
    }

    public int tokenType(int id) {
        return types[id];
    }

    public PreTokenizer preTokenizer() {
        return pre;
    }

    /** Encodes with special tokens parsed. */
    public int[] encode(String text, boolean addBos) {
        return encode(text, addBos, true);
    }

    /**
     * @param parseSpecial when false, control tokens in the text are tokenized as ordinary text; user-defined tokens are
     *                     still matched (as llama.cpp does)
     */
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        IntList out = new IntList();
        if (addBos && bos >= 0) {
            out.add(bos);
        }
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            int sp = matchSpecial(text, i, parseSpecial);
            if (sp < 0) {
                i++;
                continue;
            }
            encodeText(text.substring(start, i), out);
            out.add(sp);
            i += tokens[sp].length();
            start = i;
        }
        encodeText(text.substring(start), out);
        return out.toArray();
    }

    private int matchSpecial(String text, int at, boolean parseSpecial) {
        List<Integer> cands = specials.get(text.charAt(at));
        if (cands == null) {
            return -1;
        }
        for (int id : cands) {
            if ((parseSpecial || types[id] == TYPE_USER_DEFINED) && text.startsWith(tokens[id], at)) {
                return id;
            }
        }
        return -1;
    }

    private void encodeText(String text, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        for (String piece : pre.split(text)) {
            bpe(ByteUnicode.encode(piece.getBytes(StandardCharsets.UTF_8)), out);
        }
    }

    private record Pair(int left, int right, int rank, String text) {
    }

    /** Merges one byte-encoded pre-token, lowest rank first (leftmost on ties), and appends its ids. */
    void bpe(String word, IntList out) {
        if (ignoreMerges) {
            Integer whole = ids.get(word);
            if (whole != null) {
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
            Integer id = ids.get(sym[k]);
            if (id != null) {
                out.add(id);
                continue;
            }
            // Not in the vocabulary: fall back to one token per character (byte), skipping any that are missing.
            sym[k].codePoints().forEach(cp -> {
                Integer c = ids.get(new String(Character.toChars(cp)));
                if (c != null) {
                    out.add(c);
                }
            });
        }
    }

    private void addPair(PriorityQueue<Pair> queue, String[] sym, int left, int right) {
        Integer rank = ranks.get(sym[left] + " " + sym[right]);
        if (rank != null) {
            queue.add(new Pair(left, right, rank, sym[left] + sym[right]));
        }
    }

    /** Decodes ids to text, rendering control tokens as their text. */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    /** Decodes ids; bytes of all tokens are concatenated and decoded as UTF-8 once (bad bytes become U+FFFD). */
    public String decode(int[] ids, boolean renderControl) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            appendBytes(id, renderControl, bytes);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The raw bytes one token stands for. */
    public byte[] tokenBytes(int id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        appendBytes(id, true, b);
        return b.toByteArray();
    }

    private void appendBytes(int id, boolean renderControl, ByteArrayOutputStream out) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.length);
        }
        int t = types[id];
        if (t == TYPE_CONTROL || t == TYPE_USER_DEFINED) {
            if (t == TYPE_USER_DEFINED || renderControl) {
                out.writeBytes(tokens[id].getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        tokens[id].codePoints().forEach(cp -> {
            int b = ByteUnicode.toByte(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** A streaming decoder that returns only complete UTF-8 characters, holding back a split sequence. */
    public Decoder decoder(boolean renderControl) {
        return new Decoder(renderControl);
    }

    public final class Decoder {
        private final boolean renderControl;
        private byte[] pending = new byte[0];

        private Decoder(boolean renderControl) {
            this.renderControl = renderControl;
        }

        /** Adds one token; returns the text that is now complete (possibly empty). */
        public String next(int id) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(pending);
            appendBytes(id, renderControl, b);
            byte[] all = b.toByteArray();
            int cut = completePrefix(all);
            pending = Arrays.copyOfRange(all, cut, all.length);
            return new String(all, 0, cut, StandardCharsets.UTF_8);
        }

        /** Returns whatever is held back (an incomplete sequence decodes to U+FFFD) and resets. */
        public String flush() {
            String s = new String(pending, StandardCharsets.UTF_8);
            pending = new byte[0];
            return s;
        }
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
