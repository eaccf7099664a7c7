package dev.coach.engine.model;

import dev.coach.engine.gguf.GgufWriter;
import dev.coach.engine.tokenizer.ByteUnicode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small, self-consistent vocabularies for the fixture models: a byte-level BPE one (GPT-2 style, as Llama 3, Qwen
 * and Phi-4 files carry) and a SentencePiece one (as Mistral 7B, Phi-3 and Gemma files carry). Both are built
 * from a short built-in English text, deterministically.
 */
final class FixtureVocab {
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int BYTE = 6;

    /** The text the merges and pieces are learned from, and the start of the text the references are run on. */
    static final String TEXT = """
            The quick brown fox jumps over the lazy dog. Tell me about a time you led a team through a hard \
            deadline, what you did, and what the result was. The interviewer asked a follow-up question about the \
            trade-offs of the design, and the candidate answered with numbers: 12 engineers, 3 months, 40% faster.""";

    final String model;           // tokenizer.ggml.model: gpt2 or llama
    final String pre;             // tokenizer.ggml.pre
    final List<String> tokens;
    final List<Integer> types;
    final List<String> merges;    // BPE only
    final List<Float> scores;     // SentencePiece only
    final int bos;
    final int eos;
    final Integer unk;
    final Integer pad;
    final boolean addBos;

    private FixtureVocab(String model, String pre, List<String> tokens, List<Integer> types, List<String> merges,
                         List<Float> scores, int bos, int eos, Integer unk, Integer pad, boolean addBos) {
        this.model = model;
        this.pre = pre;
        this.tokens = tokens;
        this.types = types;
        this.merges = merges;
        this.scores = scores;
        this.bos = bos;
        this.eos = eos;
        this.unk = unk;
        this.pad = pad;
        this.addBos = addBos;
    }

    int size() {
        return tokens.size();
    }

    /**
     * Byte-level BPE: the 256 byte tokens in byte order (as GPT-2's byte-to-unicode strings), {@code merges} merges
     * learned from {@link #TEXT}, then the given special tokens (control type). BOS and EOS are named by index into
     * {@code specials}.
     */
    static FixtureVocab bpe(String pre, int merges, List<String> specials, int bosSpecial, int eosSpecial, boolean addBos) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(ByteUnicode.encode(new byte[] {(byte) b}));
            types.add(NORMAL);
        }
        List<String> learned = learnMerges(merges);
        Set<String> known = new HashSet<>(tokens);
        for (String m : learned) {
            String joined = m.replace(" ", "");
            if (known.add(joined)) {
                tokens.add(joined);
                types.add(NORMAL);
            }
        }
        int first = tokens.size();
        for (String s : specials) {
            tokens.add(s);
            types.add(CONTROL);
        }
        return new FixtureVocab("gpt2", pre, List.copyOf(tokens), List.copyOf(types), List.copyOf(learned), null,
                first + bosSpecial, first + eosSpecial, null, null, addBos);
    }

    /** Greedy BPE training on the pre-split words of {@link #TEXT}; ties go to the pair seen first. */
    private static List<String> learnMerges(int count) {
        Pattern split = Pattern.compile(" ?[A-Za-z]+| ?[0-9]| ?[^\\sA-Za-z0-9]+|\\s+");
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        Matcher m = split.matcher(TEXT);
        while (m.find()) {
            byte[] bytes = m.group().getBytes(StandardCharsets.UTF_8);
            List<String> symbols = new ArrayList<>();
            for (byte b : bytes) {
                symbols.add(ByteUnicode.encode(new byte[] {b}));
            }
            words.merge(symbols, 1, Integer::sum);
        }
        List<String> merges = new ArrayList<>();
        while (merges.size() < count) {
            Map<String, Integer> pairs = new LinkedHashMap<>();
            for (Map.Entry<List<String>, Integer> w : words.entrySet()) {
                List<String> s = w.getKey();
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + " " + s.get(i + 1), w.getValue(), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> p : pairs.entrySet()) {
                if (p.getValue() > bestCount) {
                    best = p.getKey();
                    bestCount = p.getValue();
                }
            }
            if (best == null) {
                break;
            }
            merges.add(best);
            String a = best.substring(0, best.indexOf(' '));
            String b = best.substring(best.indexOf(' ') + 1);
            Map<List<String>, Integer> next = new LinkedHashMap<>();
            for (Map.Entry<List<String>, Integer> w : words.entrySet()) {
                List<String> s = w.getKey();
                List<String> out = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) {
                    if (i + 1 < s.size() && s.get(i).equals(a) && s.get(i + 1).equals(b)) {
                        out.add(a + b);
                        i++;
                    } else {
                        out.add(s.get(i));
                    }
                }
                next.merge(out, w.getValue(), Integer::sum);
            }
            words = next;
        }
        return merges;
    }

    /**
     * SentencePiece: the given special tokens first ({@code <unk>} is unknown type, the rest control), then the 256
     * byte-fallback tokens {@code <0xNN>}, then pieces: every letter, digit and punctuation mark of {@link #TEXT}
     * and its most frequent words with the {@code ▁} space marker, scored by frequency.
     */
    static FixtureVocab spm(List<String> specials, int bos, int eos, int unk, Integer pad, int words) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (String s : specials) {
            tokens.add(s);
            types.add(s.equals("<unk>") ? UNKNOWN : CONTROL);
            scores.add(0f);
        }
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(BYTE);
            scores.add(0f);
        }
        String marked = ("▁" + TEXT.replace(' ', '▁'));
        Map<String, Integer> freq = new HashMap<>();
        marked.codePoints().forEach(cp -> freq.merge(Character.toString(cp), 1, Integer::sum));
        Matcher m = Pattern.compile("▁[A-Za-z]+").matcher(marked);
        Map<String, Integer> wordFreq = new LinkedHashMap<>();
        while (m.find()) {
            wordFreq.merge(m.group(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> chars = new ArrayList<>(freq.entrySet());
        chars.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Integer>> ws = new ArrayList<>(wordFreq.entrySet());
        ws.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        // words score above single characters so the tokenizer prefers them; scores fall with rank
        float score = -1f;
        for (Map.Entry<String, Integer> w : ws.subList(0, Math.min(words, ws.size()))) {
            tokens.add(w.getKey());
            types.add(NORMAL);
            scores.add(score);
            score -= 1f;
        }
        for (Map.Entry<String, Integer> c : chars) {
            if (!tokens.contains(c.getKey())) {
                tokens.add(c.getKey());
                types.add(NORMAL);
                scores.add(score);
                score -= 1f;
            }
        }
        return new FixtureVocab("llama", "default", List.copyOf(tokens), List.copyOf(types), null, List.copyOf(scores),
                bos, eos, unk, pad, true);
    }

    /** Writes the tokenizer.ggml.* keys. */
    void writeTo(GgufWriter w) {
        w.string("tokenizer.ggml.model", model);
        w.string("tokenizer.ggml.pre", pre);
        w.strings("tokenizer.ggml.tokens", tokens);
        if (scores != null) {
            w.float32s("tokenizer.ggml.scores", scores);
        }
        w.int32s("tokenizer.ggml.token_type", types);
        if (merges != null) {
            w.strings("tokenizer.ggml.merges", merges);
        }
        w.u32("tokenizer.ggml.bos_token_id", bos);
        w.u32("tokenizer.ggml.eos_token_id", eos);
        if (unk != null) {
            w.u32("tokenizer.ggml.unknown_token_id", unk);
        }
        if (pad != null) {
            w.u32("tokenizer.ggml.padding_token_id", pad);
        }
        w.bool("tokenizer.ggml.add_bos_token", addBos);
        w.bool("tokenizer.ggml.add_eos_token", false);
    }
}
