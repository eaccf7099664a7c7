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
        return create(name, null);
    }

    /** An embedder whose rubric vectors are kept in {@code storeDir} between runs (null: kept in memory only). */
    /** The name, if it is one of {@link #NAMES}; otherwise an IllegalArgumentException listing them. */
    public static String checked(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown embedding model '" + name + "'; use one of " + NAMES);
        }
        return name;
    }

    public static Embedder create(String name, java.nio.file.Path storeDir) {
        EmbeddingStore store = EmbeddingStore.open(storeDir, name);
        return switch (name) {
            case BGE -> new Embedder(new BgeSmallEnV15QuantizedEmbeddingModel(), BGE, store);
            case MINILM -> new Embedder(new AllMiniLmL6V2QuantizedEmbeddingModel(), MINILM, store);
            default -> throw new IllegalArgumentException("unknown embedding model '" + name + "'; use one of " + NAMES);
        };
    }

    /** coach's cache directory: $XDG_CACHE_HOME/coach, else ~/.cache/coach (the property coach.cache.dir overrides). */
    public static java.nio.file.Path cacheDir() {
        String p = System.getProperty("coach.cache.dir");
        if (p != null && !p.isBlank()) {
            return java.nio.file.Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? java.nio.file.Path.of(xdg) : java.nio.file.Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("coach");
    }

    /** Starting values before calibration: equal weight on coverage, a penalty for trap-like sentences. */
    static final OfflineParams UNCALIBRATED = new OfflineParams(0.6, 0.75, 0.0, 0.6,
            new double[] {-1.5, 2.0, 1.5, 0.5, 1.0, 0.0, 0.5, -0.5, 0.2, 1.0, 0.5, 0.5, 0.5}, 0.7, 1.5);

    /** Fitted on the calibration split of src/test/resources/grading/dev.jsonl (docs/GRADING.md). */
    static final OfflineParams BGE_PARAMS = new OfflineParams(0.700, 0.750, 0.000, 0.600, new double[] {0.3294, 1.0323, 0.4554, -0.6795, 0.5173, -1.2305, 0.9471, -0.2320, 0.2374, 0.5513, 0.4570, -0.9536, 1.0203}, 0.6800, 1.5000);
    static final OfflineParams MINILM_PARAMS = new OfflineParams(0.550, 0.750, 0.000, 0.500, new double[] {-0.3497, 1.1796, 0.3762, 0.1846, 1.0553, -0.7362, 0.4369, -0.5504, 0.2262, 0.7357, 0.1773, -0.7002, 0.3855}, 0.6200, 1.5800);

    /** The calibrated model for each embedding model (fitted with coach grade calibrate; see docs/GRADING.md). */
    public static OfflineParams params(String name) {
        return switch (name) {
            case BGE -> BGE_PARAMS;
            case MINILM -> MINILM_PARAMS;
            default -> UNCALIBRATED;
        };
    }
}
