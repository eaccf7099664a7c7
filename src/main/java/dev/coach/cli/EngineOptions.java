package dev.coach.cli;

import dev.coach.engine.LocalModel;
import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.sample.SamplerSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options shared by {@code coach model run} and {@code coach model chat}: the file, threads, context and sampling. */
public class EngineOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "A GGUF model file.")
    Path file;
    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: one per processor).")
    int threads;
    @Option(names = {"-c", "--ctx"}, paramLabel = "TOKENS", description = "Context length (default: 8192, or the model's if smaller; the cache grows only as it is used).")
    int context;
    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", defaultValue = "256", description = "Stop after N tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--temp", paramLabel = "T", defaultValue = "0.8", description = "Temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature;
    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "Keep the K likeliest tokens; 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;
    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "Nucleus threshold; 1 = off (default: ${DEFAULT-VALUE}).")
    double topP;
    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "Drop tokens below P x the top probability (default: ${DEFAULT-VALUE}).")
    double minP;
    @Option(names = "--repeat-penalty", paramLabel = "X", defaultValue = "1.0", description = "Repetition penalty; 1 = off (default: ${DEFAULT-VALUE}).")
    double repeatPenalty;
    @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64", description = "Tokens the penalties look back over (default: ${DEFAULT-VALUE}).")
    int repeatLastN;
    @Option(names = "--presence-penalty", paramLabel = "X", defaultValue = "0", description = "Presence penalty (default: ${DEFAULT-VALUE}).")
    double presencePenalty;
    @Option(names = "--frequency-penalty", paramLabel = "X", defaultValue = "0", description = "Frequency penalty (default: ${DEFAULT-VALUE}).")
    double frequencyPenalty;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "-1", description = "Random seed; -1 picks one (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable); it is not printed.")
    List<String> stops = new ArrayList<>();

    SamplerSettings sampling() {
        try {
            return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, presencePenalty, frequencyPenalty,
                    seed == -1 ? System.nanoTime() : seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    int maxTokens() {
        if (maxTokens < 1) {
            throw new UsageException("--max-tokens must be at least 1, got " + maxTokens);
        }
        return maxTokens;
    }

    LocalModel open() {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (threads < 0 || context < 0) {
            throw new UsageException("--threads and --ctx must be positive");
        }
        try {
            return LocalModel.open(file, threads, context);
        } catch (GgufException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
