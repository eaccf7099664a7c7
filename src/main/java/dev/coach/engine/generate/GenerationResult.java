package dev.coach.engine.generate;

/**
 * The outcome of one generation: the text (stop string excluded), why it ended, token counts and timings
 * ({@code promptNanos} to feed the prompt, {@code firstTokenNanos} from the start to the first sampled token,
 * {@code generationNanos} from the end of the prompt to the end). {@code reusedPromptTokens} of the
 * {@code promptTokens} were already in the cache from the previous generation and were not fed again.
 */
public record GenerationResult(String text, Finish finish, int promptTokens, int reusedPromptTokens, int generatedTokens,
                               long promptNanos, long firstTokenNanos, long generationNanos) {

    public enum Finish { STOP_TOKEN, STOP_STRING, LENGTH, CONTEXT }

    /** The prompt tokens that were fed: those not reused from the cache. */
    public int fedPromptTokens() {
        return promptTokens - reusedPromptTokens;
    }

    /** Prompt tokens fed per second (reused ones cost nothing and are not counted). */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : fedPromptTokens() * 1e9 / promptNanos;
    }

    /** Generated tokens per second (the first is sampled from the prompt's logits, so it costs no forward pass). */
    public double generationTokensPerSecond() {
        return generationNanos == 0 || generatedTokens == 0 ? 0 : generatedTokens * 1e9 / generationNanos;
    }
}
