package dev.coach.engine.generate;

import dev.coach.engine.model.Model;
import dev.coach.engine.model.Session;
import dev.coach.engine.sample.Sampler;
import dev.coach.engine.tokenizer.StreamDecoder;
import dev.coach.engine.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Text generation on a {@link Model}: feeds the prompt, then samples one token at a time until an end-of-generation
 * token, a stop string, the token limit or the end of the context. Text is passed to the listener as soon as it is
 * certain: bytes of a UTF-8 character split over tokens are held back, and so is any tail that could still grow into
 * a stop string (a stop string itself is never emitted).
 */
public final class Generator {
    private final Model model;
    private final Tokenizer tokenizer;
    private final int contextLength;
    /** The session of the last generation that ended normally, and the tokens in its cache; null otherwise. */
    private Session cached;
    private int[] cachedTokens;

    public Generator(Model model, Tokenizer tokenizer, int contextLength) {
        this.model = Objects.requireNonNull(model);
        this.tokenizer = Objects.requireNonNull(tokenizer);
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        this.contextLength = contextLength;
    }

    public Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int contextLength() {
        return contextLength;
    }

    /**
     * Generates a continuation of {@code prompt} (token ids, BOS included if wanted).
     *
     * <p>The cache of the previous generation is kept: when the prompt begins with tokens that generation read (its
     * prompt and the tokens it generated), only the rest is fed, as llama.cpp's server does. A judge prompt repeats
     * its instructions for every answer, a retry repeats the whole first exchange, and a chat repeats every earlier
     * turn, so most of such a prompt is already there. The last prompt token is always fed, since its logits start
     * the generation. Generations run one at a time.
     *
     * @param onText receives the text in pieces as it becomes certain; may be {@code null}
     */
    public synchronized GenerationResult generate(int[] prompt, GenerationSettings settings, Consumer<String> onText) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(settings, "settings");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (prompt.length >= contextLength) {
            throw new ContextOverflowException("the prompt has " + prompt.length + " tokens but the context holds " + contextLength
                    + "; shorten it or raise the context length");
        }
        Consumer<String> sink = onText == null ? s -> { } : onText;
        // the previous session is reused (its cache is already allocated); forgotten until this one ends normally, so
        // a generation that fails part-way never leaves a cache whose contents are unknown
        Session session = cached != null ? cached : model.newSession(contextLength);
        int reused = cached != null ? Math.min(commonPrefix(cachedTokens, session.position(), prompt), prompt.length - 1) : 0;
        cached = null;
        cachedTokens = null;
        session.rewind(reused);
        long start = System.nanoTime();
        float[] logits = session.prefill(reused == 0 ? prompt : Arrays.copyOfRange(prompt, reused, prompt.length));
        long promptDone = System.nanoTime();

        Sampler sampler = new Sampler(settings.sampling());
        int[] history = Arrays.copyOf(prompt, prompt.length + settings.maxTokens() + 1);
        int count = prompt.length;
        StreamDecoder decoder = tokenizer.decoder(false);
        StopMatcher stops = new StopMatcher(settings.stopStrings());
        StringBuilder full = new StringBuilder();
        TokenMask mask = settings.mask();
        if (mask != null) {
            mask.reset();
        }
        int generated = 0;
        GenerationResult.Finish finish = GenerationResult.Finish.LENGTH;
        long firstTokenAt = 0;
        float[] work = new float[logits.length];
        while (true) {
            if (generated >= settings.maxTokens()) {
                finish = GenerationResult.Finish.LENGTH;
                break;
            }
            if (session.position() >= contextLength) {
                finish = GenerationResult.Finish.CONTEXT;
                break;
            }
            float[] scores = logits;
            if (mask != null) {
                System.arraycopy(logits, 0, work, 0, logits.length);
                mask.apply(work, Math.min(settings.maxTokens() - generated, contextLength - session.position()));
                scores = work;
            }
            int token = sampler.sample(scores, history, count);
            if (generated == 0) {
                firstTokenAt = System.nanoTime();
            }
            generated++;
            history[count++] = token;
            if (tokenizer.isEndOfGeneration(token)) {
                finish = GenerationResult.Finish.STOP_TOKEN;
                break;
            }
            if (mask != null) {
                mask.accept(token);
            }
            String piece = decoder.next(token);
            String ready = stops.offer(piece);
            full.append(ready);
            if (!ready.isEmpty()) {
                sink.accept(ready);
            }
            if (stops.stopped()) {
                finish = GenerationResult.Finish.STOP_STRING;
                break;
            }
            if (mask != null && mask.complete()) {
                finish = GenerationResult.Finish.STOP_TOKEN;
                break;
            }
            if (generated >= settings.maxTokens() || session.position() >= contextLength) {
                continue;
            }
            logits = session.next(token);
        }
        if (finish != GenerationResult.Finish.STOP_STRING) {
            String rest = stops.finish(decoder.flush());
            full.append(rest);
            if (!rest.isEmpty()) {
                sink.accept(rest);
            }
        }
        long end = System.nanoTime();
        // the cache holds the prompt and every generated token that was fed back, in the order of history
        cached = session;
        cachedTokens = history;
        return new GenerationResult(full.toString(), finish, prompt.length, reused, generated, promptDone - start,
                firstTokenAt == 0 ? 0 : firstTokenAt - start, end - promptDone);
    }

    /** How many leading tokens of {@code prompt} equal {@code tokens[0 .. length)}. */
    static int commonPrefix(int[] tokens, int length, int[] prompt) {
        int n = Math.min(length, prompt.length);
        int i = Arrays.mismatch(tokens, 0, n, prompt, 0, n);
        return i < 0 ? n : i;
    }

    /** Text as it becomes final, holding back any tail that may be the start of a stop string. */
    static final class StopMatcher {
        private final List<String> stops;
        private final StringBuilder pending = new StringBuilder();
        private boolean stopped;

        StopMatcher(List<String> stops) {
            this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        }

        boolean stopped() {
            return stopped;
        }

        /** Adds text and returns what can be emitted now. */
        String offer(String text) {
            pending.append(text);
            int cut = -1;
            for (String s : stops) {
                int at = pending.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                }
            }
            if (cut >= 0) {
                stopped = true;
                String out = pending.substring(0, cut);
                pending.setLength(0);
                return out;
            }
            int hold = 0;
            String held = pending.toString();
            for (String s : stops) {
                for (int len = Math.min(s.length() - 1, pending.length()); len > hold; len--) {
                    if (held.regionMatches(held.length() - len, s, 0, len)) {
                        hold = len;
                        break;
                    }
                }
            }
            String out = pending.substring(0, pending.length() - hold);
            pending.delete(0, pending.length() - hold);
            return out;
        }

        /** Flushes at the end: the held-back tail was not a stop string after all. */
        String finish(String tail) {
            String out = offer(tail);
            if (stopped) {
                return out;
            }
            String rest = out + pending;
            pending.setLength(0);
            return rest;
        }
    }
}
