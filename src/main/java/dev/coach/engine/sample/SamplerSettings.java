package dev.coach.engine.sample;

/**
 * Settings for {@link Sampler}, mirroring llama.cpp's default sampler chain parameters.
 *
 * @param temperature      softmax temperature; {@code 0} means greedy argmax (after penalties)
 * @param topK             keep only the {@code topK} highest logits; {@code 0} disables top-k
 * @param topP             nucleus sampling threshold in {@code (0, 1]}; {@code 1} disables top-p
 * @param minP             drop tokens whose probability is below {@code minP * maxProbability}; {@code 0} disables
 * @param repeatPenalty    repetition penalty ({@code > 0}); {@code 1} disables
 * @param repeatLastN      how many of the most recent tokens the penalties look at; {@code 0} disables all penalties
 * @param presencePenalty  subtracted once from the logit of every token present in the window
 * @param frequencyPenalty subtracted {@code count} times from the logit of every token in the window
 * @param seed             seed of the random draw
 */
public record SamplerSettings(
        double temperature,
        int topK,
        double topP,
        double minP,
        double repeatPenalty,
        int repeatLastN,
        double presencePenalty,
        double frequencyPenalty,
        long seed) {

    /** llama.cpp's default repeat window. */
    public static final int DEFAULT_REPEAT_LAST_N = 64;

    public SamplerSettings {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite value >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = disabled), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("minP must be in [0, 1), got " + minP);
        }
        if (!(repeatPenalty > 0) || Double.isInfinite(repeatPenalty)) {
            throw new IllegalArgumentException("repeatPenalty must be a finite value > 0, got " + repeatPenalty);
        }
        if (repeatLastN < 0) {
            throw new IllegalArgumentException("repeatLastN must be >= 0 (0 = disabled), got " + repeatLastN);
        }
        if (!Double.isFinite(presencePenalty)) {
            throw new IllegalArgumentException("presencePenalty must be finite, got " + presencePenalty);
        }
        if (!Double.isFinite(frequencyPenalty)) {
            throw new IllegalArgumentException("frequencyPenalty must be finite, got " + frequencyPenalty);
        }
    }

    /** Deterministic argmax decoding: temperature 0, every filter and penalty disabled. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0.0, 0, 1.0, 0.0, 1.0, DEFAULT_REPEAT_LAST_N, 0.0, 0.0, 0L);
    }

    /** llama.cpp's defaults: temp 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplerSettings defaults(long seed) {
        return new SamplerSettings(0.8, 40, 0.95, 0.05, 1.0, DEFAULT_REPEAT_LAST_N, 0.0, 0.0, seed);
    }

    public SamplerSettings withTemperature(double t) {
        return new SamplerSettings(t, topK, topP, minP, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty, seed);
    }

    public SamplerSettings withTopK(int k) {
        return new SamplerSettings(temperature, k, topP, minP, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty, seed);
    }

    public SamplerSettings withTopP(double p) {
        return new SamplerSettings(temperature, topK, p, minP, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty, seed);
    }

    public SamplerSettings withMinP(double p) {
        return new SamplerSettings(temperature, topK, topP, p, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty, seed);
    }

    public SamplerSettings withPenalties(double repeat, int lastN, double presence, double frequency) {
        return new SamplerSettings(temperature, topK, topP, minP, repeat, lastN, presence, frequency, seed);
    }

    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty, s);
    }
}
