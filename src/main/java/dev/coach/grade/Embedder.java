package dev.coach.grade;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit-length sentence embeddings from an in-process LangChain4j embedding model, cached by text so that a
 * question's outline points are embedded once however many answers are graded against them.
 */
public final class Embedder {
    private final EmbeddingModel model;
    private final String name;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final EmbeddingStore store;

    public Embedder(EmbeddingModel model, String name) {
        this(model, name, EmbeddingStore.open(null, name));
    }

    /** With a store, rubric texts (outline points, traps, what figures measure) are kept on disk between runs. */
    public Embedder(EmbeddingModel model, String name, EmbeddingStore store) {
        this.model = model;
        this.name = name;
        this.store = store;
    }

    public EmbeddingStore store() {
        return store;
    }

    /** Like {@link #embed}, but also keeps the vectors in the on-disk store: for the bank's own texts. */
    public List<float[]> embedKept(List<String> texts) {
        List<String> missing = new ArrayList<>();
        for (String t : texts) {
            if (!cache.containsKey(t)) {
                float[] kept = store.get(t);
                if (kept != null) {
                    cache.put(t, kept);
                } else if (!missing.contains(t)) {
                    missing.add(t);
                }
            }
        }
        List<float[]> v = embed(missing);
        for (int i = 0; i < missing.size(); i++) {
            store.put(missing.get(i), v.get(i));
        }
        return texts.stream().map(cache::get).toList();
    }

    public String name() {
        return name;
    }

    public List<float[]> embed(List<String> texts) {
        List<String> missing = new ArrayList<>();
        for (String t : texts) {
            if (!cache.containsKey(t) && !missing.contains(t)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            var vectors = run(missing);
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i), normalise(vectors.get(i).vector()));
            }
        }
        return texts.stream().map(cache::get).toList();
    }

    /** One model call at a time: the ONNX runtime already uses every core, and parallel calls only contend. */
    private synchronized List<dev.langchain4j.data.embedding.Embedding> run(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /** The unit vector along a + b. */
    public static float[] normalisedSum(float[] a, float[] b) {
        float[] s = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return normalise(s);
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1.0 / Math.max(1e-12, Math.sqrt(n)));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
