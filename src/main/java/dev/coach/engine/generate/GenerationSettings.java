package dev.coach.engine.generate;

import dev.coach.engine.sample.SamplerSettings;

import java.util.List;
import java.util.Objects;

/**
 * What to generate: the sampler chain, the token limit, stop strings, and an optional {@link TokenMask} that rules
 * tokens out (constrained decoding).
 */
public record GenerationSettings(SamplerSettings sampling, int maxTokens, List<String> stopStrings, TokenMask mask) {
    public GenerationSettings {
        Objects.requireNonNull(sampling, "sampling");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("the token limit must be at least 1, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings == null ? List.of() : stopStrings);
    }

    public GenerationSettings(SamplerSettings sampling, int maxTokens, List<String> stopStrings) {
        this(sampling, maxTokens, stopStrings, null);
    }
}
