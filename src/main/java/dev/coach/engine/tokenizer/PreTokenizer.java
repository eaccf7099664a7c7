package dev.coach.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regex pre-tokenizers selected by {@code tokenizer.ggml.pre}. Like llama.cpp, a pre-tokenizer is a sequence of regexes:
 * each one splits every piece produced by the previous one; text between matches is kept as a piece of its own.
 */
public final class PreTokenizer {
    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    /** The original GPT-2 pattern. */
    public static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Llama 3 ("llama-bpe"): case-insensitive contractions, digits in groups of 1 to 3. */
    public static final String LLAMA3 = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2: Llama 3 with single digits. */
    public static final String QWEN2 = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** First pass of llama.cpp's default BPE pre-tokenizer: runs of punctuation and of $ + < = > ^ ~ |. */
    public static final String DEFAULT_PUNCTUATION = "[\\p{P}\\$\\+<=>\\^~\\|]+";

    /** First pass of "smollm" (and starcoder, refact, ...): isolate every digit; then {@link #GPT2}. */
    public static final String SINGLE_DIGIT = "\\p{N}";

    private final String name;
    private final List<Pattern> patterns;

    private PreTokenizer(String name, String... regexes) {
        this.name = name;
        List<Pattern> ps = new ArrayList<>();
        for (String r : regexes) {
            // UNICODE_CHARACTER_CLASS makes \s the Unicode White_Space property (as llama.cpp), not just ASCII.
            ps.add(Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS));
        }
        this.patterns = List.copyOf(ps);
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value. A missing value means "default", as in llama.cpp (which
     * warns): punctuation runs, then GPT-2, then digit runs, then groups of three ASCII digits.
     */
    public static PreTokenizer forName(String pre) {
        String p = pre == null ? "default" : pre.toLowerCase(Locale.ROOT);
        return switch (p) {
            case "llama-bpe", "llama3", "llama-v3", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano",
                 "dbrx", "smaug-bpe" -> new PreTokenizer(p, LLAMA3);
            case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "hunyuan", "solar-open", "stablelm2" ->
                    new PreTokenizer(p, QWEN2);
            case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2" ->
                    new PreTokenizer(p, SINGLE_DIGIT, GPT2);
            case "default" -> new PreTokenizer(p, DEFAULT_PUNCTUATION, GPT2, "\\p{N}+", "[0-9][0-9][0-9]");
            case "gpt-2", "gpt2", "phi-2", "gigachat", "a.x-4.0", "mellum", "exaone4", "mpt", "olmo", "jais",
                 "trillion", "granite-docling" -> new PreTokenizer(p, GPT2);
            default -> throw new IllegalArgumentException("unsupported pre-tokenizer '" + pre + "'");
        };
    }

    public String name() {
        return name;
    }

    /** Splits text into pre-tokens; their concatenation is always the input. */
    public List<String> split(String text) {
        List<String> pieces = List.of(text);
        for (Pattern p : patterns) {
            List<String> next = new ArrayList<>();
            for (String piece : pieces) {
                splitOne(p, piece, next);
            }
            pieces = next;
        }
        return pieces;
    }

    private static void splitOne(Pattern p, String text, List<String> out) {
        Matcher m = p.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                out.add(m.group());
            }
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
    }
}
