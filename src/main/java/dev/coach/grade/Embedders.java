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

    /** The calibrated thresholds for each embedding model. */
    public static OfflineParams params(String name) {
        return OfflineGrader.DEFAULT;
    }
}
