package dev.coach.engine;

import dev.coach.engine.chat.ChatMessage;
import dev.coach.engine.chat.ChatTemplate;
import dev.coach.engine.generate.GenerationResult;
import dev.coach.engine.generate.GenerationSettings;
import dev.coach.engine.generate.Generator;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.generate.TokenMask;
import dev.coach.engine.json.JsonSchemaMask;
import dev.coach.engine.json.Schema;
import dev.coach.engine.model.Model;
import dev.coach.engine.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A GGUF model ready to generate: the mapped file, the transformer, its tokenizer and chat template. This is the
 * engine's front door; everything else in {@code dev.coach.engine} is reached through it.
 */
public final class LocalModel implements AutoCloseable {
    /** The context used when none is given, capped by what the model was trained for. */
    public static final int DEFAULT_CONTEXT = 8192;

    private final GgufFile file;
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Generator generator;
    private final long loadNanos;
    private JsonSchemaMask.Vocabulary jsonVocabulary;

    private LocalModel(GgufFile file, Model model, Tokenizer tokenizer, ChatTemplate template, int context, long loadNanos) {
        this.file = file;
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        this.generator = new Generator(model, tokenizer, context);
        this.loadNanos = loadNanos;
    }

    /**
     * Opens a model file.
     *
     * @param threads worker threads for the forward pass ({@code <= 0}: one per processor)
     * @param context context length in tokens ({@code <= 0}: {@value #DEFAULT_CONTEXT} or the trained length if smaller)
     * @throws dev.coach.engine.gguf.GgufException if the file cannot be read or the engine cannot run it (named reason)
     */
    public static LocalModel open(Path path, int threads, int context) {
        long start = System.nanoTime();
        GgufFile f = GgufReader.open(path);
        try {
            Model m = Model.load(f, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            Tokenizer t = Tokenizer.from(f);
            ChatTemplate tpl = ChatTemplate.forModel(f.metadata());
            int trained = m.config().trainedContext();
            int ctx = context > 0 ? context : Math.min(DEFAULT_CONTEXT, trained > 0 ? trained : DEFAULT_CONTEXT);
            return new LocalModel(f, m, t, tpl, ctx, System.nanoTime() - start);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    public Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    public int contextLength() {
        return generator.contextLength();
    }

    public long loadNanos() {
        return loadNanos;
    }

    /** Continues raw text: BOS as the file asks, special tokens in the text recognised. */
    public GenerationResult complete(String prompt, GenerationSettings settings, Consumer<String> onText) {
        return generator.generate(tokenizer.encode(prompt), settings, onText);
    }

    /**
     * Answers a conversation: renders it with the chat template (with the assistant prompt), and stops at the
     * template's end-of-turn strings as well as at any given.
     */
    public GenerationResult chat(List<ChatMessage> messages, GenerationSettings settings, Consumer<String> onText) {
        String prompt = template.render(messages, true);
        // The template writes BOS itself where the model wants it, so the tokenizer must not add another.
        int[] ids = tokenizer.tokenize(prompt, false, true);
        if (tokenizer.addsBos() && tokenizer.bosId() >= 0 && (ids.length == 0 || ids[0] != tokenizer.bosId())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = tokenizer.bosId();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            ids = withBos;
        }
        List<String> stops = new ArrayList<>(settings.stopStrings());
        for (String s : template.stopStrings()) {
            if (!stops.contains(s)) {
                stops.add(s);
            }
        }
        return generator.generate(ids, new GenerationSettings(settings.sampling(), settings.maxTokens(), stops, settings.mask()), onText);
    }

    /**
     * A mask that keeps generation inside {@code schema} (see {@link JsonSchemaMask}). The vocabulary trie is built on
     * first use and kept.
     */
    public synchronized TokenMask jsonMask(Schema schema) {
        if (jsonVocabulary == null) {
            jsonVocabulary = new JsonSchemaMask.Vocabulary(tokenizer.vocabSize(), tokenizer::tokenBytes, id -> {
                int type = tokenizer.tokenType(id);
                return type == Tokenizer.TYPE_NORMAL || type == Tokenizer.TYPE_BYTE || type == Tokenizer.TYPE_USER_DEFINED;
            }, tokenizer::isEndOfGeneration);
        }
        return new JsonSchemaMask(jsonVocabulary, schema, tokenizer::tokenBytes);
    }

    @Override
    public void close() {
        model.close();
        file.close();
    }
}
