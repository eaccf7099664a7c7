package dev.coach.engine.tokenizer;

/**
 * What both tokenizers answer straight from the shared llama.cpp vocabulary rules in {@link Vocab}: ids, texts,
 * types, attributes, the end-of-generation set, BOS/EOS defaults, detokenisation and streaming decoding.
 * Subclasses add the splitting of text into tokens.
 */
abstract sealed class VocabTokenizer implements Tokenizer permits BpeTokenizer, SentencePieceTokenizer {
    final Vocab vocab;

    VocabTokenizer(Vocab vocab) {
        this.vocab = vocab;
    }

    @Override
    public String detokenize(int[] ids, boolean removeSpecial, boolean renderSpecial) {
        return vocab.detokenize(ids, removeSpecial, renderSpecial);
    }

    @Override
    public StreamDecoder decoder(boolean renderSpecial) {
        return new StreamDecoder(id -> vocab.piece(id, renderSpecial));
    }

    @Override
    public byte[] tokenBytes(int id) {
        return vocab.piece(id, true).clone();
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bosId() {
        return vocab.bos;
    }

    @Override
    public int eosId() {
        return vocab.eos;
    }

    @Override
    public String token(int id) {
        return vocab.text(id);
    }

    @Override
    public int tokenType(int id) {
        return vocab.type(id);
    }

    @Override
    public int tokenAttributes(int id) {
        return vocab.attr(id);
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return vocab.isEog(id);
    }

    @Override
    public boolean addsBos() {
        return vocab.addBos;
    }

    @Override
    public boolean addsEos() {
        return vocab.addEos;
    }
}
