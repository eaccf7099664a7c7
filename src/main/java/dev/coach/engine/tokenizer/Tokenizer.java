package dev.coach.engine.tokenizer;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;

/**
 * Text to token ids and back, the way llama.cpp does it for the vocabulary stored in a GGUF file.
 *
 * <p>{@link #tokenize(String, boolean, boolean)} and {@link #detokenize(int[], boolean, boolean)} have exactly the
 * meaning of llama.cpp's {@code llama_tokenize} and {@code llama_detokenize}; the other methods are conveniences on top.
 * Token ids are indexes into {@code tokenizer.ggml.tokens}; "no such token" is {@code -1}. Implementations are
 * immutable once built and safe to share between threads (a {@link StreamDecoder} is not: use one per stream).
 */
public interface Tokenizer {
    /** GGUF token types ({@code tokenizer.ggml.token_type}). */
    int TYPE_UNDEFINED = 0;
    int TYPE_NORMAL = 1;
    int TYPE_UNKNOWN = 2;
    int TYPE_CONTROL = 3;
    int TYPE_USER_DEFINED = 4;
    int TYPE_UNUSED = 5;
    int TYPE_BYTE = 6;

    /** llama.cpp token attribute bits ({@link #tokenAttributes(int)}). */
    int ATTR_UNKNOWN = 1;
    int ATTR_UNUSED = 1 << 1;
    int ATTR_NORMAL = 1 << 2;
    int ATTR_CONTROL = 1 << 3;
    int ATTR_USER_DEFINED = 1 << 4;
    int ATTR_BYTE = 1 << 5;
    int ATTR_NORMALIZED = 1 << 6;
    int ATTR_LSTRIP = 1 << 7;
    int ATTR_RSTRIP = 1 << 8;

    /**
     * The tokenizer for a GGUF file, chosen by {@code tokenizer.ggml.model}: {@code gpt2} gives a byte-level
     * {@link BpeTokenizer}, {@code llama} a {@link SentencePieceTokenizer}.
     *
     * @throws GgufException if the file has another tokenizer model, no vocabulary, or an inconsistent one
     */
    static Tokenizer from(GgufFile file) {
        String model = file.string("tokenizer.ggml.model").orElse(null);
        if (model == null) {
            throw new GgufException(file.path() + ": the file has no tokenizer (tokenizer.ggml.model is missing); "
                    + "use a GGUF that includes its vocabulary");
        }
        try {
            return switch (model) {
                case "gpt2" -> BpeTokenizer.from(file);
                case "llama" -> SentencePieceTokenizer.from(file);
                default -> throw new GgufException(file.path() + ": tokenizer.ggml.model is '" + model
                        + "', which coach does not support; supported are 'gpt2' (byte-level BPE: Llama 3, Qwen, ...) and "
                        + "'llama' (SentencePiece: Llama 2, Mistral, Gemma, ...)");
            };
        } catch (IllegalArgumentException e) {
            throw new GgufException(file.path() + ": the vocabulary cannot be used: " + e.getMessage());
        }
    }

    /**
     * llama.cpp's {@code llama_tokenize}.
     *
     * @param addSpecial   add the BOS and EOS tokens the file asks for ({@code tokenizer.ggml.add_bos_token},
     *                     {@code add_eos_token}, or the defaults llama.cpp uses for this kind of vocabulary)
     * @param parseSpecial match control and unknown-type tokens written in the text (such as {@code <|im_end|>});
     *                     user-defined tokens are matched either way
     */
    int[] tokenize(String text, boolean addSpecial, boolean parseSpecial);

    /** Tokenizes with the file's BOS/EOS defaults and special tokens parsed: {@code tokenize(text, true, true)}. */
    default int[] encode(String text) {
        return tokenize(text, true, true);
    }

    /**
     * Tokenizes, putting the BOS token first if {@code addBos} (and the vocabulary has one), whatever the file's
     * default; never adds EOS.
     */
    default int[] encode(String text, boolean addBos, boolean parseSpecial) {
        int[] body = tokenize(text, false, parseSpecial);
        if (!addBos || bosId() < 0) {
            return body;
        }
        int[] out = new int[body.length + 1];
        out[0] = bosId();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * llama.cpp's {@code llama_detokenize}: the token pieces joined, the leading space of a SentencePiece text
     * dropped, and (for vocabularies that ask for it) spaces before punctuation cleaned up.
     *
     * @param removeSpecial  drop a leading BOS and a trailing EOS when the file adds them
     * @param renderSpecial  render control and unknown-type tokens as their text (otherwise they vanish)
     */
    String detokenize(int[] ids, boolean removeSpecial, boolean renderSpecial);

    /** {@code detokenize(ids, false, renderSpecial)}. */
    default String decode(int[] ids, boolean renderSpecial) {
        return detokenize(ids, false, renderSpecial);
    }

    /** Decodes with control tokens rendered as their text: {@code detokenize(ids, false, true)}. */
    default String decode(int[] ids) {
        return detokenize(ids, false, true);
    }

    /**
     * A decoder for tokens arriving one at a time (generation): each call returns the text that is complete so far,
     * holding back a UTF-8 sequence split across tokens. Pieces are not trimmed or cleaned up.
     */
    StreamDecoder decoder(boolean renderSpecial);

    /** The bytes one token stands for (its piece, control tokens included as their text). */
    byte[] tokenBytes(int id);

    int vocabSize();

    /** The BOS token, or -1. */
    int bosId();

    /** The EOS token, or -1. */
    int eosId();

    /** The token's text as stored in the vocabulary (byte-level or {@code ▁}-escaped form). */
    String token(int id);

    /** The token's type as stored in {@code tokenizer.ggml.token_type} ({@link #TYPE_NORMAL} if absent). */
    int tokenType(int id);

    /** The token's attribute bits as llama.cpp derives them (after its by-name corrections). */
    int tokenAttributes(int id);

    /** Whether generation stops at this token: llama.cpp's end-of-generation set. */
    boolean isEndOfGeneration(int id);

    /** Whether the file asks for BOS at the start of a tokenized text. */
    boolean addsBos();

    /** Whether the file asks for EOS at the end of a tokenized text. */
    boolean addsEos();
}
