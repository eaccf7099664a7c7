package dev.coach.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coach.engine.gguf.GgufWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Small, deterministic tokenizer vocabularies trained here on a built-in text (real model vocabularies cannot be
 * committed), written as vocabulary-only GGUF files that llama.cpp loads with {@code vocab_only}:
 * <ul>
 *   <li>{@code llama-bpe}: byte-level BPE trained with the Llama 3 pre-tokenizer, Llama 3 style special tokens</li>
 *   <li>{@code qwen2}: byte-level BPE trained with the Qwen2 pre-tokenizer, Qwen style special tokens, no BOS</li>
 *   <li>{@code spm}: SentencePiece-style pieces with scores, {@code <unk> <s> </s>}, the 256 byte tokens, control and
 *       user-defined tokens; llama.cpp's defaults (space prefix, BOS)</li>
 *   <li>{@code spm-noprefix}: the same pieces with add_space_prefix off, no BOS, EOS added</li>
 * </ul>
 * {@code main(DIR)} writes {@code DIR/<kind>.gguf} and {@code DIR/corpus.json} (the decoded corpus) for
 * {@code scripts/engine-reference/regen-tokens.sh}.
 */
public final class VocabFixtures {
    public static final List<String> KINDS = List.of("llama-bpe", "qwen2", "spm", "spm-noprefix");
    static final int BPE_MERGES = 3000;
    static final int SPM_MERGES = 2500;
    private static final long SEED = 20251123L;

    private static final Map<String, byte[]> CACHE = new HashMap<>();

    private VocabFixtures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: VocabFixtures OUTPUT_DIR [KIND...]   (default kinds: " + KINDS
                    + "; other BPE pre-tokenizer names such as gpt-2 or default work too)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        List<String> kinds = args.length > 1 ? List.of(args).subList(1, args.length) : KINDS;
        for (String kind : kinds) {
            byte[] b = gguf(kind);
            Files.write(dir.resolve(kind + ".gguf"), b);
            System.err.println(kind + ".gguf: " + b.length + " bytes, sha256 " + sha256(b));
        }
        List<Map<String, Object>> cases = new ArrayList<>();
        for (TokenCorpus.Case c : TokenCorpus.load()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", c.line());
            m.put("text", c.text());
            cases.add(m);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("corpus.json").toFile(), cases);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The GGUF bytes of one fixture vocabulary (computed once per JVM). */
    public static synchronized byte[] gguf(String kind) {
        return CACHE.computeIfAbsent(kind, k -> switch (k) {
            case "llama-bpe" -> bpeGguf("llama-bpe");
            case "qwen2" -> bpeGguf("qwen2");
            case "spm" -> spmGguf(true);
            case "spm-noprefix" -> spmGguf(false);
            default -> bpeGguf(k); // any other BPE pre-tokenizer name, for checks by hand
        }).clone();
    }

    // ------------------------------------------------------------------ byte-level BPE

    private static byte[] bpeGguf(String pre) {
        PreTokenizer pt = PreTokenizer.forName(pre);
        Map<String, Integer> words = new TreeMap<>();
        for (String piece : pt.split(trainingText())) {
            words.merge(ByteUnicode.encode(piece.getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
        }
        List<String[]> merges = train(words, BPE_MERGES);

        List<Object> tokens = new ArrayList<>();
        List<Object> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new String(Character.toChars(ByteUnicode.toCodePoint(b))));
            types.add(Tokenizer.TYPE_NORMAL);
        }
        List<Object> mergeLines = new ArrayList<>();
        Set<Object> seen = new HashSet<>(tokens);
        for (String[] m : merges) {
            if (seen.add(m[0] + m[1])) { // two merges can make the same text; the token appears once
                tokens.add(m[0] + m[1]);
                types.add(Tokenizer.TYPE_NORMAL);
            }
            mergeLines.add(m[0] + " " + m[1]);
        }
        // Whole words no merge sequence builds: only llama.cpp's ignore_merges (llama-bpe) emits them.
        for (String w : List.of(" coaching", " whiteboard", " Kubernetes")) {
            String enc = ByteUnicode.encode(w.getBytes(StandardCharsets.UTF_8));
            if (!seen.add(enc)) {
                throw new IllegalStateException("extra token " + w + " collides with a trained token");
            }
            tokens.add(enc);
            types.add(Tokenizer.TYPE_NORMAL);
        }
        // Added tokens (not byte-encoded, as in converted models), with their types.
        Map<String, Integer> added = new LinkedHashMap<>();
        if (pre.equals("llama-bpe")) {
            added.put("<|begin_of_text|>", 3);
            added.put("<|end_of_text|>", 3);
            added.put("<|start_header_id|>", 3);
            added.put("<|end_header_id|>", 3);
            added.put("<|eot_id|>", 3);
            added.put("<|eom_id|>", 3);
            added.put("<|python_tag|>", 3);
            added.put("<|reserved_special_token_0|>", 3);
            added.put("<|unused_0|>", 3);
            added.put("<|im_start|>", 4); // user-defined: matched even when special tokens are not parsed
            added.put("<|im_end|>", 1); // control-looking normal token: llama.cpp makes it control and end-of-generation
        } else {
            added.put("<|endoftext|>", 3);
            added.put("<|im_start|>", 3);
            added.put("<|im_end|>", 3);
            added.put("<|fim_prefix|>", 3);
            added.put("<|fim_middle|>", 3);
            added.put("<|fim_suffix|>", 3);
            added.put("<|fim_pad|>", 3);
            added.put("<|repo_name|>", 3);
            added.put("<|file_sep|>", 3);
            added.put("<end_of_turn>", 4); // user-defined, but llama.cpp forces it to control (end-of-turn text)
            added.put("<|end|>", 3);
            added.put("<think>", 4);
            added.put("</think>", 4);
        }
        added.put("<tool_call>", 4);
        added.put("</tool_call>", 4);
        added.put("coachbot", 4);
        added.put("[[x]]", 4);
        added.put("x]][[y", 4);
        added.put("[PAD0]", 5);
        added.put("[PAD1]", 5);
        for (Map.Entry<String, Integer> e : added.entrySet()) {
            if (!seen.add(e.getKey())) {
                throw new IllegalStateException("added token " + e.getKey() + " collides with a trained token");
            }
            tokens.add(e.getKey());
            types.add(e.getValue());
        }
        GgufWriter w = new GgufWriter()
                .string("general.architecture", "llama")
                .string("general.name", "coach tokenizer fixture " + pre)
                .string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", pre)
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, tokens})
                .put("tokenizer.ggml.token_type", 9, new Object[] {5, types})
                .put("tokenizer.ggml.merges", 9, new Object[] {8, mergeLines});
        if (pre.equals("llama-bpe")) {
            w.put("tokenizer.ggml.bos_token_id", 4, tokens.indexOf("<|begin_of_text|>"))
                    .put("tokenizer.ggml.eos_token_id", 4, tokens.indexOf("<|end_of_text|>"))
                    .put("tokenizer.ggml.add_bos_token", 7, true);
        } else {
            w.put("tokenizer.ggml.bos_token_id", 4, tokens.indexOf("<|endoftext|>"))
                    .put("tokenizer.ggml.eos_token_id", 4, tokens.indexOf("<|im_end|>"))
                    .put("tokenizer.ggml.padding_token_id", 4, tokens.indexOf("<|endoftext|>"))
                    .put("tokenizer.ggml.add_bos_token", 7, false);
        }
        return w.bytes();
    }

    // ------------------------------------------------------------------ SentencePiece style

    private record SpmTraining(List<String[]> merges, Map<Integer, Integer> chars) {
    }

    private static SpmTraining spmTraining;

    /** Trains the SentencePiece-style pieces once; both spm fixtures share them. */
    private static synchronized SpmTraining spmTraining() {
        if (spmTraining != null) {
            return spmTraining;
        }
        // SentencePiece sees "▁"-escaped text, each line with a leading "▁", split before runs of "▁";
        // newlines, tabs and carriage returns are left to the byte tokens (as in Llama 2's vocabulary).
        Map<String, Integer> words = new TreeMap<>();
        Map<Integer, Integer> chars = new TreeMap<>();
        for (String line : trainingText().split("[\n\t\r]+")) {
            if (line.isEmpty()) {
                continue;
            }
            String esc = ("▁" + line).replace(' ', '▁');
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("▁*[^▁]+|▁+").matcher(esc);
            while (m.find()) {
                words.merge(m.group(), 1, Integer::sum);
            }
            esc.codePoints().forEach(cp -> chars.merge(cp, 1, Integer::sum));
        }
        spmTraining = new SpmTraining(train(words, SPM_MERGES), chars);
        return spmTraining;
    }

    private static byte[] spmGguf(boolean spacePrefix) {
        List<String[]> merges = spmTraining().merges();
        Map<Integer, Integer> chars = spmTraining().chars();
        List<Object> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Object> types = new ArrayList<>(List.of(2, 3, 3));
        List<Object> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6);
            scores.add(0f);
        }
        // Merged pieces score by merge order; every tenth shares the score of the one before (ties go leftmost).
        Set<Object> seen = new HashSet<>(tokens);
        float s = 0;
        for (int i = 0; i < merges.size(); i++) {
            if (i % 10 != 5) {
                s = -i;
            }
            if (seen.add(merges.get(i)[0] + merges.get(i)[1])) {
                tokens.add(merges.get(i)[0] + merges.get(i)[1]);
                types.add(1);
                scores.add(s);
            }
        }
        // Single characters seen at least 3 times, below every merged piece; rarer ones fall back to bytes.
        int k = 0;
        for (Map.Entry<Integer, Integer> e : chars.entrySet()) {
            String c = new String(Character.toChars(e.getKey()));
            if (e.getValue() >= 3 && seen.add(c)) {
                tokens.add(c);
                types.add(1);
                scores.add((float) -(merges.size() + k++));
            }
        }
        Map<String, Integer> added = new LinkedHashMap<>();
        added.put("<start_of_turn>", 3);
        added.put("<end_of_turn>", 3);
        added.put("<|im_start|>", 3);
        added.put("<|im_end|>", 4); // user-defined, forced to control by its text
        added.put("<unused0>", 3); // control named unused: llama.cpp marks it unused
        added.put("[INST]", 4);
        added.put("[/INST]", 4);
        added.put("<tool_call>", 4);
        added.put("coachbot", 4);
        added.put("[[x]]", 4);
        added.put("x]][[y", 4);
        added.put("<pad>", 5);
        for (Map.Entry<String, Integer> e : added.entrySet()) {
            if (!seen.add(e.getKey())) {
                throw new IllegalStateException("added token " + e.getKey() + " collides with a trained piece");
            }
            tokens.add(e.getKey());
            types.add(e.getValue());
            scores.add(0f);
        }
        GgufWriter w = new GgufWriter()
                .string("general.architecture", "llama")
                .string("general.name", "coach tokenizer fixture spm" + (spacePrefix ? "" : " without space prefix"))
                .string("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", 9, new Object[] {8, tokens})
                .put("tokenizer.ggml.scores", 9, new Object[] {6, scores})
                .put("tokenizer.ggml.token_type", 9, new Object[] {5, types})
                .put("tokenizer.ggml.bos_token_id", 4, 1)
                .put("tokenizer.ggml.eos_token_id", 4, 2)
                .put("tokenizer.ggml.unknown_token_id", 4, 0);
        if (!spacePrefix) {
            w.put("tokenizer.ggml.add_space_prefix", 7, false)
                    .put("tokenizer.ggml.add_bos_token", 7, false)
                    .put("tokenizer.ggml.add_eos_token", 7, true);
        }
        return w.bytes();
    }

    // ------------------------------------------------------------------ BPE training

    private record Cand(int a, int b, int count) {
    }

    /**
     * Byte-pair training: repeatedly merges the most frequent adjacent pair of symbols (ties: the pair whose texts
     * sort first), counting each word with its frequency, until {@code maxMerges} or no pair occurs twice.
     *
     * @param wordCounts words (as strings of initial symbols, one code point each) and their frequencies
     * @return the merges in order, as {left, right}
     */
    static List<String[]> train(Map<String, Integer> wordCounts, int maxMerges) {
        List<String> sym = new ArrayList<>();
        Map<String, Integer> symId = new HashMap<>();
        List<int[]> words = new ArrayList<>();
        int[] freq = new int[wordCounts.size()];
        int wi = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            int[] w = e.getKey().codePoints().map(cp -> intern(new String(Character.toChars(cp)), sym, symId)).toArray();
            words.add(w);
            freq[wi++] = e.getValue();
        }
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        Comparator<Cand> order = Comparator.comparingInt((Cand c) -> -c.count())
                .thenComparing(c -> sym.get(c.a())).thenComparing(c -> sym.get(c.b()));
        PriorityQueue<Cand> queue = new PriorityQueue<>(order);
        for (int w = 0; w < words.size(); w++) {
            addPairs(words.get(w), w, freq[w], counts, where, null);
        }
        counts.forEach((key, c) -> queue.add(new Cand((int) (key >>> 32), (int) (long) key, c)));

        List<String[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges && !queue.isEmpty()) {
            Cand best = queue.poll();
            long key = key(best.a(), best.b());
            if (counts.getOrDefault(key, 0) != best.count()) {
                continue; // stale
            }
            if (best.count() < 2) {
                break;
            }
            String left = sym.get(best.a());
            String right = sym.get(best.b());
            merges.add(new String[] {left, right});
            int merged = intern(left + right, sym, symId);
            Set<Long> touched = new HashSet<>();
            for (int w : new ArrayList<>(where.getOrDefault(key, Set.of()))) {
                int[] old = words.get(w);
                removePairs(old, w, freq[w], counts, where, touched);
                int[] nw = new int[old.length];
                int n = 0;
                for (int i = 0; i < old.length; i++) {
                    if (i + 1 < old.length && old[i] == best.a() && old[i + 1] == best.b()) {
                        nw[n++] = merged;
                        i++;
                    } else {
                        nw[n++] = old[i];
                    }
                }
                int[] updated = java.util.Arrays.copyOf(nw, n);
                words.set(w, updated);
                addPairs(updated, w, freq[w], counts, where, touched);
            }
            for (long t : touched) {
                int c = counts.getOrDefault(t, 0);
                if (c > 0) {
                    queue.add(new Cand((int) (t >>> 32), (int) t, c));
                }
            }
        }
        return merges;
    }

    private static int intern(String s, List<String> sym, Map<String, Integer> symId) {
        return symId.computeIfAbsent(s, k -> {
            sym.add(k);
            return sym.size() - 1;
        });
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void addPairs(int[] w, int wi, int f, Map<Long, Integer> counts, Map<Long, Set<Integer>> where,
                                 Set<Long> touched) {
        for (int i = 0; i + 1 < w.length; i++) {
            long k = key(w[i], w[i + 1]);
            counts.merge(k, f, Integer::sum);
            where.computeIfAbsent(k, x -> new HashSet<>()).add(wi);
            if (touched != null) {
                touched.add(k);
            }
        }
    }

    private static void removePairs(int[] w, int wi, int f, Map<Long, Integer> counts, Map<Long, Set<Integer>> where,
                                    Set<Long> touched) {
        for (int i = 0; i + 1 < w.length; i++) {
            long k = key(w[i], w[i + 1]);
            counts.merge(k, -f, Integer::sum);
            Set<Integer> s = where.get(k);
            if (s != null) {
                s.remove(wi);
            }
            touched.add(k);
        }
    }

    // ------------------------------------------------------------------ training text

    private static String cachedText;

    /** The built-in training text: fixed paragraphs plus seeded random sentences. */
    static synchronized String trainingText() {
        if (cachedText != null) {
            return cachedText;
        }
        StringBuilder sb = new StringBuilder(PARAGRAPHS);
        Random r = new Random(SEED);
        for (int i = 0; i < 1800; i++) {
            String[][] pool = POOLS[r.nextInt(POOLS.length)];
            int n = 4 + r.nextInt(10);
            for (int j = 0; j < n; j++) {
                String[] words = pool[r.nextInt(pool.length)];
                String w = words[r.nextInt(words.length)];
                int cap = r.nextInt(12);
                if (j == 0 || cap == 0) {
                    w = w.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + w.substring(1);
                } else if (cap == 1) {
                    w = w.toUpperCase(java.util.Locale.ROOT);
                }
                if (j > 0) {
                    sb.append(r.nextInt(25) == 0 ? "  " : " ");
                }
                sb.append(w);
                int p = r.nextInt(14);
                if (p == 0) {
                    sb.append(',');
                } else if (p == 1) {
                    sb.append(' ').append(r.nextInt(100000));
                } else if (p == 2) {
                    sb.append(' ').append(r.nextInt(100)).append('.').append(r.nextInt(1000));
                } else if (p == 3) {
                    sb.append(CONTRACTIONS[r.nextInt(CONTRACTIONS.length)]);
                }
            }
            sb.append(ENDINGS[r.nextInt(ENDINGS.length)]);
            sb.append(r.nextInt(6) == 0 ? "\n\n" : r.nextInt(3) == 0 ? "\n" : " ");
        }
        cachedText = sb.toString();
        return cachedText;
    }

    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'LL"};
    private static final String[] ENDINGS = {".", ".", ".", "?", "!", "...", ":", ";", "!?"};

    private static final String[] EN = ("the of and to a in is you that it he was for on are as with his they I at be "
            + "this have from or one had by word but not what all were we when your can said there use an each which "
            + "she do how their if will up other about out many then them these so some her would make like him into "
            + "time has look two more write go see number no way could people my than first water been call who oil "
            + "its now find long down day did get come made may part interview question answer candidate manager "
            + "team project deadline conflict feedback strength weakness salary offer design system database cache "
            + "latency throughput scale service request response error retry queue message stream thread memory "
            + "because although however therefore meanwhile nevertheless tell describe explain walk through example "
            + "situation task action result learned improved delivered measured customer product engineer").split(" ");
    private static final String[] CODE = ("int long double float String return public private static final void class "
            + "new null true false if else for while break continue try catch throw import package def self lambda "
            + "print() println(x); x = y + 1; i++ i < n; a[i] b[j] {} () [] <> => -> :: != == <= >= && || "
            + "0x1F 0b101 1e-9 _tmp __init__ HashMap<String, Integer> List<int[]> std::vector<int> #include "
            + "func main() let var const async await yield SELECT FROM WHERE ORDER BY GROUP JOIN").split(" ");
    private static final String[] FR = "le la les un une des est sont avec pour dans très été où déjà français "
            .concat("entretien réponse question équipe projet délai début fenêtre garçon naïve cœur Noël").split(" ");
    private static final String[] DE = "der die das und ist nicht mit für über Größe Straße Mädchen schön Äpfel Öl Übung "
            .concat("Vorstellungsgespräch Stärke Schwäche Gehalt").split(" ");
    private static final String[] ES = "el la los las y es son con para niño año señor mañana corazón pregunta respuesta "
            .concat("¿qué? ¡hola! entrevista equipo").split(" ");
    private static final String[] RU = "и в не на я что тот быть с а весь это как она по но они к у ты из мы за "
            .concat("привет мир работа вопрос ответ команда").split(" ");
    private static final String[] ZH = ("你好 世界 我们 今天 讨论 系统 设计 面试 问题 回答 团队 项目 经理 工作 时间 因为 所以 "
            + "但是 可以 没有 什么 这个 那个 中文 学习").split(" ");
    private static final String[] JA = ("こんにちは 世界 面接 準備 質問 答え チーム プロジェクト です ます ありがとう "
            + "カタカナ ひらがな 漢字 日本語").split(" ");
    private static final String[] KO = "안녕하세요 세계 면접 질문 대답 팀 프로젝트 감사합니다 한국어".split(" ");
    private static final String[] AR = "مرحبا بالعالم كيف حالك سؤال جواب فريق مشروع شكرا العربية".split(" ");
    private static final String[] HE = "שלום עולם מה שלומך שאלה תשובה צוות פרויקט תודה עברית".split(" ");
    private static final String[] EMOJI = "😀 😃 👍 👍🏽 ❤️ 🎉 ✨ 🤖 🚀 ✅ ❌ 🔥 💡 📈 🇫🇷 👩‍💻".split(" ");
    private static final String[][][] POOLS = {
        {EN}, {EN}, {EN}, {EN}, {EN}, {EN, CODE}, {CODE}, {EN, EMOJI}, {FR}, {DE}, {ES}, {RU}, {ZH}, {JA}, {KO}, {AR}, {HE},
        {EN, FR, DE, ES},
    };

    private static final String PARAGRAPHS = """
            Tell me about yourself. I have worked as a backend engineer for six years, mostly on payment systems.
            Why do you want this job? Because the team builds tools that people use every day, and I like that.
            Describe a conflict with a colleague and how you resolved it. We disagreed about the database schema;
            I wrote down both options, measured them, and we picked the faster one together.
            What's your greatest weakness? I sometimes spend too long polishing details, so I now set time limits.
            Where do you see yourself in five years? Leading a small team and still writing code.
            Walk me through a system you designed. The service accepted 12,000 requests per second at p99 latency of
            45.3 ms; we used a write-ahead log, a cache in front of the database, and a queue for retries.
            It's not that I don't like meetings; it's that they're often too long. We'll see. They'd agree. I've been
            there. You're right. He'll come. She'd left. I'm ready. IT'S DONE. WE'RE LATE. THEY'VE GONE. I'LL GO.

            public final class Interview {
                private final List<String> questions = new ArrayList<>();
                public int score(String answer) {
                    if (answer == null || answer.isBlank()) {
                        return 0;
                    }
                    return Math.min(10, answer.length() / 40);
                }
            }

            def grade(answer: str) -> int:
                \"""Return a score from 0 to 10.\"""
                words = answer.split()
                return min(10, len(words) // 8)

            {"question": "Why us?", "score": 7, "tags": ["motivation", "culture"], "passed": true}
            $ ./mvnw -B verify && java -jar target/coach.jar --questions 3
            The numbers 3.14159, 2.71828, 1.41421 and 1234567890 appear; so do 2024-01-31 and 10:45:00.
            Le candidat a très bien répondu à la question sur l'équipe. Ça s'est passé où ? À Paris, déjà.
            Die Größe des Teams überrascht: fünf Entwickler, zwei Prüfer, ein Übersetzer.
            ¿Cuál es tu mayor fortaleza? La comunicación, sin duda. ¡Gracias por la pregunta!
            Расскажите о себе. Я работаю инженером шесть лет.
            请介绍一下你自己。我在一家公司做了六年的后端工程师。你为什么想要这份工作？
            自己紹介をお願いします。私は六年間バックエンドエンジニアとして働いています。
            자기소개를 해 주세요. 저는 6년 동안 백엔드 엔지니어로 일했습니다.
            عرّف عن نفسك. أعمل مهندسا منذ ست سنوات.
            ספר לי על עצמך. אני עובד כמהנדס שש שנים.
            Great answer! 👍 Let's move on 🚀 — next question ✨ (almost done 🎉).
            \tIndented with a tab.\n    Indented with spaces.
            Trailing spaces here.   \s
            Many     spaces     between     words.
            """;
}
