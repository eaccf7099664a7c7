package dev.coach.grade;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import java.util.List;

/** The in-process embedding models the offline grader can use (both ship inside Maven artifacts, no download). */
public final class Embedders {
    public static final String BGE = "bge-small-en-v1.5";
    public static final String MINILM = "all-minilm-l6-v2";
    public static final List<String> NAMES = List.of(BGE, MINILM);
    /** The one chosen on the development set (docs/GRADING.md). */
    public static final String DEFAULT = BGE;

    private Embedders() {
    }

    public static Embedder create(String name) {
        return switch (name) {
            case BGE -> new Embedder(new BgeSmallEnV15QuantizedEmbeddingModel(), BGE);
            case MINILM -> new Embedder(new AllMiniLmL6V2QuantizedEmbeddingModel(), MINILM);
            default -> throw new IllegalArgumentException("unknown embedding model '" + name + "'; use one of " + NAMES);
        };
    }

    /** Starting values before calibration: equal weight on coverage, a penalty for trap-like sentences. */
    static final OfflineParams UNCALIBRATED = new OfflineParams(0.6, 0.75, 0.0, 0.6,
            new double[] {-1.5, 2.0, 1.5, 0.5, 1.0, 0.0, 0.5, -0.5, 0.2, 1.0, 0.5, 0.5}, 0.7, 1.5);

    /** Fitted on the calibration split of src/test/resources/grading/dev.jsonl (docs/GRADING.md). */
    static final OfflineParams BGE_PARAMS = new OfflineParams(0.400, 0.750, 0.000, 0.300,
            new double[] {-2.4971, 1.9090, 0.0000, -0.0312, 1.0822, -0.5699, -0.1360, -0.2876, 0.2741, -0.6126, 3.1466, -0.7890}, 0.8200, 1.4000);
    static final OfflineParams MINILM_PARAMS = new OfflineParams(0.700, 0.750, 0.000, 0.300,
            new double[] {-1.4996, 0.6588, 0.1991, -0.0726, 0.9041, -0.3388, -0.0280, -0.3106, 0.2173, -0.3714, 2.7299, -0.3806}, 0.7800, 1.3800);

    /** The calibrated model for each embedding model (fitted with coach grade calibrate; see docs/GRADING.md). */
    public static OfflineParams params(String name) {
        return switch (name) {
            case BGE -> BGE_PARAMS;
            case MINILM -> MINILM_PARAMS;
            default -> UNCALIBRATED;
        };
    }
}
