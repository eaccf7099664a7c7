package dev.coach.engine.generate;

/**
 * The outcome of one generation: the text (stop string excluded), why it ended, token counts and timings
 * ({@code promptNanos} to feed the prompt, {@code firstTokenNanos} from the start to the first sampled token,
 * {@code generationNanos} from the end of the prompt to the end).
 */
public record GenerationResult(String text, Finish finish, int promptTokens, int generatedTokens, long promptNanos, long firstTokenNanos,
                               long generationNanos) {

    public enum Finish { STOP_TOKEN, STOP_STRING, LENGTH, CONTEXT }

    /** Prompt tokens per second. */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
    }

    /** Generated tokens per second (the first is sampled from the prompt's logits, so it costs no forward pass). */
    public double generationTokensPerSecond() {
        return generationNanos == 0 || generatedTokens == 0 ? 0 : generatedTokens * 1e9 / generationNanos;
    }
}
