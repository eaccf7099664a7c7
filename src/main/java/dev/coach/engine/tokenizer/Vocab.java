package dev.coach.engine.tokenizer;

import static dev.coach.engine.tokenizer.Tokenizer.ATTR_BYTE;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_CONTROL;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_LSTRIP;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_NORMAL;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_RSTRIP;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_UNKNOWN;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_UNUSED;
import static dev.coach.engine.tokenizer.Tokenizer.ATTR_USER_DEFINED;

import dev.coach.engine.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What llama.cpp derives from a GGUF vocabulary, shared by both tokenizer kinds: token texts, scores and attributes
 * (with llama.cpp's corrections by token text), the special token ids and add-BOS/EOS flags with llama.cpp's defaults,
 * the end-of-generation set, the splitting of text around special tokens, token pieces and detokenization.
 */
final class Vocab {
    enum Kind { SPM, BPE }

    /** Token texts that llama.cpp treats as end-of-turn when no eot id is given. */
    private static final Set<String> EOT_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    private static final Set<String> EOM_TEXTS = Set.of("<|eom_id|>");
    private static final Set<String> FIM_PRE_TEXTS = Set.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final Set<String> FIM_SUF_TEXTS = Set.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final Set<String> FIM_MID_TEXTS = Set.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final Set<String> FIM_PAD_TEXTS = Set.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final Set<String> FIM_REP_TEXTS = Set.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>",
            "<reponame>");
    private static final Set<String> FIM_SEP_TEXTS = Set.of("<|file_sep|>");
    /** Token texts that end generation whatever their type. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]",
            "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<｜end▁of▁sentence｜>", "[e~[");
    /** gpt-oss tokens that llama.cpp always renders. */
    private static final Set<String> ALWAYS_RENDERED = Set.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");
    /** BPE pre-tokenizers for which llama.cpp keeps spaces before punctuation when detokenizing. */
    private static final Set<String> NO_CLEAN_SPACES = Set.of("deepseek-llm", "deepseek-coder", "deepseek-v3", "spark2_5",
            "youtu", "command-r", "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "qwen35", "poro-chat", "viking", "tekken",
            "smollm", "chameleon", "gpt-4o", "llama4", "kanana2", "talkie", "granite-embed-multi-97m", "tiny_aya",
            "cohere2moe", "superbpe", "trillion", "granite-docling", "bailingmoe", "bailingmoe2", "llada-moe", "seed-coder",
            "hunyuan", "hunyuan-dense", "hy_v4", "joyai-llm", "kimi-k2", "ufakzeka", "grok-2", "afmoe", "laguna",
            "minimax-m2", "solar-open", "sarvam-moe");
    /** BPE pre-tokenizers for which llama.cpp emits a pre-token that is a whole vocabulary entry without merging. */
    private static final Set<String> LLAMA3_PRE = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1",
            "pixtral", "midm-2.0", "lfm2", "jina-v5-nano");

    final Kind kind;
    final String pre;
    private final String[] text;
    private final float[] score;
    private final int[] type;
    private final int[] attr;
    private final Map<String, Integer> ids;
    final int bos;
    final int eos;
    final int eot;
    final int eom;
    final int unk;
    final boolean addBos;
    final boolean addEos;
    final boolean addSpacePrefix;
    final boolean cleanSpaces;
    final boolean ignoreMerges;
    /** Tokens split out of the text before tokenizing, longest text first. */
    private final int[] specials;
    private final BitSet eog = new BitSet();
    /** Each token's piece with control tokens rendered. */
    private final byte[][] pieces;

    /**
     * @param tokens the vocabulary; empty entries are renamed as llama.cpp does
     * @param scores per-token scores, or null for all zero
     * @param types  per-token GGUF token types, or null for all normal
     * @param meta   GGUF metadata, read for the special token ids, the add-BOS/EOS/space-prefix flags and the model name
     */
    Vocab(Kind kind, String pre, List<String> tokens, float[] scores, int[] types, Map<String, Object> meta) {
        this.kind = kind;
        this.pre = pre;
        int n = tokens.size();
        if (n == 0) {
            throw new IllegalArgumentException("tokenizer.ggml.tokens is empty");
        }
        if (scores != null && scores.length < n) {
            throw new IllegalArgumentException("tokenizer.ggml.scores has " + scores.length + " entries for " + n + " tokens");
        }
        if (types != null && types.length < n) {
            throw new IllegalArgumentException("tokenizer.ggml.token_type has " + types.length + " entries for " + n + " tokens");
        }

        // Flags and default special ids, by tokenizer kind and pre-tokenizer.
        int bosId;
        int eosId;
        int unkId;
        boolean spacePrefix;
        boolean clean;
        boolean bosFlag;
        boolean eosFlag = false;
        boolean ignore = false;
        if (kind == Kind.SPM) {
            bosId = 1;
            eosId = 2;
            unkId = 0;
            spacePrefix = true;
            clean = false;
            bosFlag = true;
        } else {
            bosId = 11;
            eosId = 11;
            unkId = -1;
            spacePrefix = false;
            String p = pre == null ? "" : pre;
            clean = !NO_CLEAN_SPACES.contains(p);
            bosFlag = false;
            if (LLAMA3_PRE.contains(p)) {
                ignore = true;
                bosFlag = true;
            } else if (p.equals("tekken")) {
                ignore = true;
                bosFlag = true;
            } else if (p.equals("chameleon")) {
                bosFlag = true;
            } else if (p.equals("youtu") || p.equals("minicpm5") || p.equals("granite-embed-multi-97m")) {
                ignore = true;
            }
        }
        Boolean prefixKey = bool(meta, "tokenizer.ggml.add_space_prefix");
        if (prefixKey != null) {
            spacePrefix = prefixKey;
        }

        text = new String[n];
        score = new float[n];
        type = new int[n];
        attr = new int[n];
        ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            String t = tokens.get(i);
            if (t.isEmpty()) {
                t = "[EMPTY_" + i + "]";
            }
            text[i] = t;
            Integer prev = ids.put(t, i);
            if (prev != null) {
                throw new IllegalArgumentException("tokens " + prev + " and " + i + " are both '" + t
                        + "'; llama.cpp refuses such a vocabulary too");
            }
            score[i] = scores == null ? 0f : scores[i];
            type[i] = types == null ? Tokenizer.TYPE_NORMAL : types[i];
            attr[i] = switch (type[i]) {
                case Tokenizer.TYPE_NORMAL -> ATTR_NORMAL;
                case Tokenizer.TYPE_UNKNOWN -> ATTR_UNKNOWN;
                case Tokenizer.TYPE_CONTROL -> ATTR_CONTROL;
                case Tokenizer.TYPE_USER_DEFINED -> ATTR_USER_DEFINED;
                case Tokenizer.TYPE_UNUSED -> ATTR_UNUSED;
                case Tokenizer.TYPE_BYTE -> ATTR_BYTE;
                default -> 0;
            };
        }

        // Special ids: a default outside the vocabulary is dropped; a key outside it is ignored.
        bosId = specialId(meta, "tokenizer.ggml.bos_token_id", bosId, n);
        eosId = specialId(meta, "tokenizer.ggml.eos_token_id", eosId, n);
        int eotId = specialId(meta, "tokenizer.ggml.eot_token_id", -1, n);
        int eomId = specialId(meta, "tokenizer.ggml.eom_token_id", -1, n);
        unkId = specialId(meta, "tokenizer.ggml.unknown_token_id", unkId, n);
        int fimPre = specialId(meta, "tokenizer.ggml.fim_pre_token_id", -1, n);
        int fimSuf = specialId(meta, "tokenizer.ggml.fim_suf_token_id", -1, n);
        int fimMid = specialId(meta, "tokenizer.ggml.fim_mid_token_id", -1, n);
        int fimPad = specialId(meta, "tokenizer.ggml.fim_pad_token_id", -1, n);
        int fimRep = specialId(meta, "tokenizer.ggml.fim_rep_token_id", -1, n);
        int fimSep = specialId(meta, "tokenizer.ggml.fim_sep_token_id", -1, n);
        fimPre = specialId(meta, "tokenizer.ggml.prefix_token_id", fimPre, n);
        fimSuf = specialId(meta, "tokenizer.ggml.suffix_token_id", fimSuf, n);
        fimMid = specialId(meta, "tokenizer.ggml.middle_token_id", fimMid, n);

        Boolean b = bool(meta, "tokenizer.ggml.add_bos_token");
        if (b != null) {
            bosFlag = b;
        }
        b = bool(meta, "tokenizer.ggml.add_eos_token");
        if (b != null) {
            eosFlag = b;
        }

        // Special tokens recognised by their text when the file does not name them. llama.cpp walks a hash map here,
        // so when several candidates exist which one it takes is unspecified; we take the lowest id.
        for (int i = 0; i < n; i++) {
            String t = text[i];
            if (eotId < 0 && EOT_TEXTS.contains(t)) {
                eotId = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (eomId < 0 && EOM_TEXTS.contains(t)) {
                eomId = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimPre < 0 && FIM_PRE_TEXTS.contains(t)) {
                fimPre = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimSuf < 0 && FIM_SUF_TEXTS.contains(t)) {
                fimSuf = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimMid < 0 && FIM_MID_TEXTS.contains(t)) {
                fimMid = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimPad < 0 && FIM_PAD_TEXTS.contains(t)) {
                fimPad = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimRep < 0 && FIM_REP_TEXTS.contains(t)) {
                fimRep = i;
                attr[i] |= ATTR_CONTROL;
            }
            if (fimSep < 0 && FIM_SEP_TEXTS.contains(t)) {
                fimSep = i;
                attr[i] |= ATTR_CONTROL;
            }
        }
        // Control tokens named "unused" are unused.
        for (int i = 0; i < n; i++) {
            if ((attr[i] & ATTR_CONTROL) != 0 && text[i].contains("unused")) {
                attr[i] |= ATTR_UNUSED;
            }
        }

        // End of generation.
        for (int id : new int[] {fimPad, fimRep, fimSep}) {
            if (id >= 0) {
                eog.set(id);
            }
        }
        for (int i = 0; i < n; i++) {
            if (EOG_TEXTS.contains(text[i])) {
                eog.set(i);
                attr[i] |= ATTR_CONTROL;
            }
        }
        for (int i = 0; i < n; i++) {
            if (ALWAYS_RENDERED.contains(text[i])) {
                attr[i] = ATTR_USER_DEFINED;
            }
        }
        for (int id : new int[] {eosId, eotId, eomId}) {
            if (id >= 0) {
                eog.set(id);
            }
        }
        // Harmony-style vocabularies end turns with <|return|>/<|call|>, so <|end|> is an ordinary separator there.
        int endId = -1;
        boolean hasReturn = false;
        boolean hasCall = false;
        boolean hasFlush = false;
        for (int id = eog.nextSetBit(0); id >= 0; id = eog.nextSetBit(id + 1)) {
            switch (text[id]) {
                case "<|return|>" -> hasReturn = true;
                case "<|call|>", "<|calls|>" -> hasCall = true;
                case "<|flush|>" -> hasFlush = true;
                case "<|end|>" -> endId = id;
                default -> { }
            }
        }
        if (endId >= 0 && ((hasReturn && hasCall) || (hasCall && hasFlush))) {
            eog.clear(endId);
            attr[endId] = ATTR_USER_DEFINED;
        }
        // Gemma 4 style: with <|tool_response> present, </s> is an ordinary token.
        int closeS = -1;
        boolean hasToolResponse = false;
        for (int id = eog.nextSetBit(0); id >= 0; id = eog.nextSetBit(id + 1)) {
            if (text[id].equals("<|tool_response>")) {
                hasToolResponse = true;
            } else if (text[id].equals("</s>")) {
                closeS = id;
            }
        }
        if (hasToolResponse && closeS >= 0) {
            eog.clear(closeS);
            attr[closeS] = ATTR_NORMAL;
        }

        // Tokens split out of the text: control, user-defined and unknown ones, longest (in bytes) first.
        List<Integer> sp = new ArrayList<>();
        int[] byteLength = new int[n];
        for (int i = 0; i < n; i++) {
            if ((attr[i] & (ATTR_CONTROL | ATTR_USER_DEFINED | ATTR_UNKNOWN)) != 0) {
                sp.add(i);
                byteLength[i] = text[i].getBytes(StandardCharsets.UTF_8).length;
            }
        }
        sp.sort(Comparator.comparingInt((Integer i) -> -byteLength[i]).thenComparingInt(i -> i));
        specials = sp.stream().mapToInt(Integer::intValue).toArray();

        this.bos = bosId;
        this.eos = eosId;
        this.eot = eotId;
        this.eom = eomId;
        this.unk = unkId;
        this.addBos = bosFlag;
        this.addEos = eosFlag;
        this.addSpacePrefix = spacePrefix;
        this.cleanSpaces = clean;
        this.ignoreMerges = ignore;

        pieces = new byte[n][];
        for (int i = 0; i < n; i++) {
            pieces[i] = renderPiece(i);
        }

        // Strip attributes llama.cpp sets for a few models by name (after the pieces, as llama.cpp does).
        String name = meta.get("general.name") instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
        String arch = meta.get("general.architecture") instanceof String s ? s : "";
        String p = pre == null ? "" : pre;
        if (p.contains("jina-v2-de") || p.contains("jina-v2-es") || p.contains("jina-v2-code")
                || arch.contains("nomic-bert-moe") || arch.contains("jina-bert-v3")) {
            Integer mask = ids.get("<mask>");
            if (mask != null) {
                attr[mask] |= ATTR_LSTRIP;
            }
        } else if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : specials) {
                attr[id] |= ATTR_RSTRIP;
            }
            setAttr("</s>", ATTR_RSTRIP, true);
            setAttr("<unk>", ATTR_RSTRIP, false);
            setAttr("<s>", ATTR_RSTRIP, false);
            setAttr("<|endoftext|>", ATTR_RSTRIP, false);
        } else if (name.contains("modern-bert")) {
            Integer mask = ids.get("[MASK]");
            if (mask != null) {
                attr[mask] |= ATTR_LSTRIP;
            }
        }
    }

    private void setAttr(String token, int bit, boolean on) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the model is named like Phi-3 but has no '" + token + "' token");
        }
        attr[id] = on ? attr[id] | bit : attr[id] & ~bit;
    }

    /** Reads the vocabulary arrays of a GGUF file. */
    static Vocab from(GgufFile f, Kind kind, String pre) {
        Map<String, Object> md = f.metadata();
        List<String> tokens = strings(md.get("tokenizer.ggml.tokens"), "tokenizer.ggml.tokens");
        if (tokens == null) {
            throw new IllegalArgumentException("tokenizer.ggml.tokens is missing");
        }
        float[] scores = null;
        if (md.get("tokenizer.ggml.scores") instanceof List<?> l) {
            scores = new float[l.size()];
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Number num)) {
                    throw new IllegalArgumentException("tokenizer.ggml.scores holds a non-number at index " + i);
                }
                scores[i] = num.floatValue();
            }
        } else if (md.containsKey("tokenizer.ggml.scores")) {
            throw new IllegalArgumentException("tokenizer.ggml.scores is not an array");
        }
        int[] types = null;
        if (md.get("tokenizer.ggml.token_type") instanceof List<?> l) {
            types = new int[l.size()];
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Number num)) {
                    throw new IllegalArgumentException("tokenizer.ggml.token_type holds a non-number at index " + i);
                }
                types[i] = num.intValue();
            }
        } else if (md.containsKey("tokenizer.ggml.token_type")) {
            throw new IllegalArgumentException("tokenizer.ggml.token_type is not an array");
        }
        return new Vocab(kind, pre, tokens, scores, types, md);
    }

    static List<String> strings(Object o, String key) {
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

    private static int specialId(Map<String, Object> meta, String key, int dflt, int n) {
        int id = dflt >= n ? -1 : dflt;
        if (meta.get(key) instanceof Number v && !(v instanceof Float) && !(v instanceof Double)) {
            long x = v.longValue();
            if (x >= 0 && x < n) {
                id = (int) x;
            }
        }
        return id;
    }

    private static Boolean bool(Map<String, Object> meta, String key) {
        Object o = meta.get(key);
        if (o instanceof Boolean bo) {
            return bo;
        }
        return o instanceof Number num ? num.longValue() != 0 : null;
    }

    int size() {
        return text.length;
    }

    String text(int id) {
        return text[check(id)];
    }

    float score(int id) {
        return score[id];
    }

    int type(int id) {
        return type[check(id)];
    }

    int attr(int id) {
        return attr[check(id)];
    }

    boolean isEog(int id) {
        return id >= 0 && eog.get(id);
    }

    /** The id of a token text, or -1. */
    int id(String t) {
        Integer id = ids.get(t);
        return id == null ? -1 : id;
    }

    int check(int id) {
        if (id < 0 || id >= text.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + text.length + " tokens");
        }
        return id;
    }

    // ------------------------------------------------------------------ splitting out special tokens

    /** A piece of the input: either a token already decided ({@code token >= 0}) or text [start, end). */
    record Fragment(int token, int start, int end) {
        boolean isText() {
            return token < 0;
        }
    }

    /**
     * Splits text around special tokens, one special token at a time, longest first, each at all its non-overlapping
     * occurrences, leftmost first (llama.cpp's order, which is not a left-to-right longest match).
     */
    List<Fragment> partition(String s, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (s.isEmpty()) {
            return frags;
        }
        frags.add(new Fragment(-1, 0, s.length()));
        for (int id : specials) {
            int a = attr[id];
            if (!parseSpecial && (a & (ATTR_CONTROL | ATTR_UNKNOWN)) != 0) {
                continue;
            }
            String t = text[id];
            List<Fragment> next = null;
            for (int f = 0; f < frags.size(); f++) {
                Fragment frag = frags.get(f);
                int at = frag.isText() ? s.indexOf(t, frag.start()) : -1;
                if (at < 0 || at + t.length() > frag.end()) {
                    if (next != null) {
                        next.add(frag);
                    }
                    continue;
                }
                if (next == null) {
                    next = new ArrayList<>(frags.subList(0, f));
                }
                int pos = frag.start();
                int end = frag.end();
                while (at >= 0 && at + t.length() <= end) {
                    int leftEnd = at;
                    if ((a & ATTR_LSTRIP) != 0) {
                        while (leftEnd > pos && isCSpace(s.charAt(leftEnd - 1))) {
                            leftEnd--;
                        }
                    }
                    if (leftEnd > pos) {
                        next.add(new Fragment(-1, pos, leftEnd));
                    }
                    next.add(new Fragment(id, at, at + t.length()));
                    pos = at + t.length();
                    if (pos >= end) {
                        break;
                    }
                    if ((a & ATTR_RSTRIP) != 0) {
                        while (pos < end && isCSpace(s.charAt(pos))) {
                            pos++;
                        }
                    }
                    at = s.indexOf(t, pos);
                }
                if (pos < end) {
                    next.add(new Fragment(-1, pos, end));
                }
            }
            if (next != null) {
                frags = next;
            }
        }
        return frags;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    // ------------------------------------------------------------------ pieces and detokenizing

    /** The bytes of a token piece (llama_token_to_piece with lstrip 0). */
    byte[] piece(int id, boolean renderSpecial) {
        check(id);
        if (!renderSpecial && (attr[id] & (ATTR_UNKNOWN | ATTR_CONTROL)) != 0) {
            return new byte[0];
        }
        return pieces[id];
    }

    private byte[] renderPiece(int id) {
        int a = attr[id];
        String t = text[id];
        if ((a & (ATTR_UNKNOWN | ATTR_CONTROL | ATTR_USER_DEFINED)) != 0) {
            return t.getBytes(StandardCharsets.UTF_8);
        }
        if ((a & ATTR_NORMAL) != 0) {
            if (kind == Kind.SPM) {
                return t.replace('▁', ' ').getBytes(StandardCharsets.UTF_8);
            }
            return byteLevelDecode(t);
        }
        if ((a & ATTR_BYTE) != 0) {
            return new byte[] {(byte) hexByte(t)};
        }
        return new byte[0]; // unused and undefined tokens are never shown
    }

    /** The byte of a {@code <0xNN>} token, read as C's strtol would read the two characters after "<0x". */
    static int hexByte(String t) {
        int v = 0;
        for (int k = 3; k < Math.min(5, t.length()); k++) {
            int d = Character.digit(t.charAt(k), 16);
            if (d < 0) {
                break;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** Byte-level BPE text back to bytes; a character outside the byte table becomes llama.cpp's marker text. */
    private static byte[] byteLevelDecode(String t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.length());
        t.codePoints().forEach(cp -> {
            int b = ByteUnicode.toByte(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder sb = new StringBuilder("[UNK_BYTE_0x");
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    sb.append(String.format("%02x", x & 0xFF));
                }
                sb.append(t).append(']');
                out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    /** llama_detokenize. */
    String detokenize(int[] tokens, boolean removeSpecial, boolean renderSpecial) {
        int from = 0;
        int to = tokens.length;
        boolean removeSpace = addSpacePrefix;
        if (removeSpecial && addBos && to > from && tokens[from] == bos) {
            removeSpace = false;
            from++;
        }
        if (removeSpecial && addEos && to > from && tokens[to - 1] == eos) {
            to--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            byte[] p = piece(tokens[i], renderSpecial);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            out.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] bytes = out.toByteArray();
        int len = bytes.length;
        if (cleanSpaces) {
            len = cleanUp(bytes, len);
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * llama.cpp's clean_up_tokenization_spaces, done in place in three passes exactly as llama.cpp does them
     * (including how a removed " ' " affects the next check); returns the new length.
     */
    static int cleanUp(byte[] t, int n) {
        // 1: no space before ? ! . ,
        int total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                total--;
            }
            t[total++] = x;
        }
        // 2: " ' " becomes "'"
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < n && t[i - 1] == ' ' && t[i + 1] == ' ') {
                total--;
                t[++i] = 0;
            }
            t[total++] = x;
        }
        // 3: no space before 's 'm 're 've
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
                        total--;
                    }
                }
            }
            t[total++] = x;
        }
        return total;
    }
}
