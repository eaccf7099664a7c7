package dev.coach.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp's logits for one fixture model ({@link FixtureModels}), read from
 * {@code src/test/resources/engine/reference/NAME.json} (written by {@code scripts/engine-reference/regen-logits.sh}),
 * and the check that our forward pass reproduces them.
 *
 * <p>What the reference holds: a token {@link #sequence()} of {@link #rows()} tokens (BOS and the start of a
 * fixed English text, the {@link #prompt()}, then llama.cpp's own greedy continuation) and, for every position of
 * it, the logits over the whole vocabulary after that token. The first {@code prompt().length} rows come from one
 * batch, the rest from single-token decodes (context 256, F32 KV cache, flash attention off, 1 thread). Our engine
 * should run the whole sequence teacher-forced ({@code Model.teacherForced(sequence())}) and pass the result to
 * {@link #assertMatches(float[][])}.
 *
 * <p>The comparison, row by row ("within 1e-2 relative", read as relative to the row's scale): with
 * {@code tol = 1e-2 * max_j |ref[j]|} over that row's logits,
 * <ul>
 *   <li>every logit must satisfy {@code |ours[j] - ref[j]| <= tol}, and</li>
 *   <li>where the reference's top-1 margin (best minus second best logit) exceeds {@code tol}, our best token must
 *       be the reference's best token.</li>
 * </ul>
 * A relative error per logit would be meaningless for logits near zero, hence the row scale.
 *
 * <p>How tight that is: with F32, F16 and BF16 weights an independent float implementation lands within 0.0–0.6
 * of the tolerance. With quantized weights llama.cpp quantizes the activations too (to Q8_0 for Q4_0, Q5_0 and
 * Q8_0 weights, Q8_1 for Q4_1 and Q5_1, Q8_K for the K-quants) before every matrix product, and rounds them to f16
 * or bf16 for F16 and BF16 weights; an engine that keeps activations in float differs from the reference by 2 to
 * 5.5 times the tolerance, and even an exact imitation of those quantizers can differ by about the tolerance,
 * because any tiny difference upstream re-rolls the rounding. llama.cpp disagrees with itself by as much when only
 * its attention kernel changes: each reference records, per row, the largest difference between flash attention
 * off and on ({@link #flashAttentionDiff(int)}). {@link Tolerance#withNoise(double)} widens the per-row tolerance
 * to a multiple of the largest of those ({@link #noise()}), for engines that do not imitate llama.cpp's
 * activation rounding.
 */
public final class ReferenceLogits {

    /** The relative tolerance of {@link #assertMatches(float[][])}: 1e-2 of each row's largest absolute logit. */
    public static final double RELATIVE_TOLERANCE = 1e-2;

    /**
     * How far our logits may be from the reference's in one row: {@code max(relative * max|ref|, noiseFactor *
     * noise())}.
     */
    public record Tolerance(double relative, double noiseFactor) {
        /** The comparison of {@link #assertMatches(float[][])}: 1e-2 of the row's largest absolute logit. */
        public static Tolerance strict() {
            return new Tolerance(RELATIVE_TOLERANCE, 0);
        }

        /**
         * The strict tolerance, or {@code factor} times llama.cpp's own flash-attention-on/off difference on this
         * model if that is larger. A factor of 2 admits an engine with float activations on every fixture (it
         * measured 0.4–0.8 of that tolerance) and still fails it on a missing or wrong architecture feature.
         */
        public static Tolerance withNoise(double factor) {
            return new Tolerance(RELATIVE_TOLERANCE, factor);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String model;
    private final String architecture;
    private final String sha256;
    private final long bytes;
    private final int vocab;
    private final int[] prompt;
    private final int[] greedy;
    private final int[] sequence;
    private final float[][] logits;
    private final double[] margins;
    private final double[] faDiff;
    private final List<String> warnings;

    private ReferenceLogits(String source, JsonNode root) {
        this.source = source;
        this.model = text(root, "model");
        this.architecture = text(root, "architecture");
        this.sha256 = text(root, "sha256");
        this.bytes = field(root, "bytes").asLong();
        this.vocab = field(root, "n_vocab").asInt();
        this.prompt = ints(field(root, "prompt"));
        this.greedy = ints(field(root, "greedy"));
        this.sequence = ints(field(root, "sequence"));
        JsonNode rows = field(root, "logits");
        this.logits = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            if (r.size() != vocab) {
                throw bad("logits row " + i + " has " + r.size() + " values, not n_vocab = " + vocab);
            }
            logits[i] = new float[vocab];
            for (int j = 0; j < vocab; j++) {
                logits[i][j] = (float) r.get(j).asDouble();
            }
        }
        this.margins = doubles(field(root, "margins"));
        this.faDiff = doubles(field(root, "flash_attention_diff"));
        this.warnings = new ArrayList<>();
        root.path("llama_warnings").forEach(w -> warnings.add(w.asText()));
        if (sequence.length != logits.length || margins.length != logits.length || faDiff.length != logits.length) {
            throw bad("sequence (" + sequence.length + "), logits (" + logits.length + "), margins (" + margins.length
                    + ") and flash_attention_diff (" + faDiff.length + ") must have one entry per position");
        }
        if (prompt.length + greedy.length - 1 != sequence.length) {
            throw bad("sequence must be the prompt followed by all greedy tokens but the last");
        }
    }

    /** The reference of a fixture, from the test classpath ({@code /engine/reference/NAME.json}). */
    public static ReferenceLogits load(String model) {
        String resource = "/engine/reference/" + model + ".json";
        try (InputStream in = ReferenceLogits.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no reference logits for fixture model '" + model + "' (" + resource
                        + " is not on the test classpath); run scripts/engine-reference/regen-logits.sh and commit "
                        + "src/test/resources/engine/reference/");
            }
            return new ReferenceLogits(resource, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A reference JSON file. */
    public static ReferenceLogits read(Path json) {
        try {
            return new ReferenceLogits(json.toString(), JSON.readTree(Files.readString(json)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference logits " + json + ": " + e.getMessage(), e);
        }
    }

    /** A reference given as JSON text; {@code source} names it in errors. */
    public static ReferenceLogits parse(String json, String source) {
        try {
            return new ReferenceLogits(source, JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public String model() {
        return model;
    }

    public String architecture() {
        return architecture;
    }

    /** The sha256 of the GGUF file the reference was made from. */
    public String sha256() {
        return sha256;
    }

    /** The size of the GGUF file the reference was made from. */
    public long bytes() {
        return bytes;
    }

    public int vocabSize() {
        return vocab;
    }

    /** BOS and the start of the text: the tokens evaluated in one batch. */
    public int[] prompt() {
        return prompt.clone();
    }

    /** llama.cpp's greedy continuation after the prompt (each the argmax of the previous row). */
    public int[] greedy() {
        return greedy.clone();
    }

    /** The tokens whose logits the reference holds: the prompt, then all greedy tokens but the last. */
    public int[] sequence() {
        return sequence.clone();
    }

    /** Number of positions (rows of logits). */
    public int rows() {
        return logits.length;
    }

    /** The logits after position {@code row} of {@link #sequence()} (a copy). */
    public float[] logits(int row) {
        return logits[row].clone();
    }

    /** The best minus the second-best logit of a row, as llama.cpp computed it. */
    public double margin(int row) {
        return margins[row];
    }

    /** The top-1 margin of each greedy step: step k chose {@code greedy()[k]} from row {@code prompt().length - 1 + k}. */
    public double[] greedyMargins() {
        double[] out = new double[greedy.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = margins[prompt.length - 1 + k];
        }
        return out;
    }

    /** The largest |difference| in a row between llama.cpp with flash attention off (the reference) and on. */
    public double flashAttentionDiff(int row) {
        return faDiff[row];
    }

    /** The largest {@link #flashAttentionDiff(int)} of any row: how far llama.cpp drifts from itself here. */
    public double noise() {
        double m = 0;
        for (double d : faDiff) {
            m = Math.max(m, d);
        }
        return m;
    }

    /** What llama.cpp warned about while loading the model (an empty list if nothing). */
    public List<String> llamaWarnings() {
        return List.copyOf(warnings);
    }

    /** The tolerance of a row. */
    public double tolerance(int row, Tolerance t) {
        return Math.max(t.relative() * maxAbs(logits[row]), t.noiseFactor() * noise());
    }

    /** {@link #assertMatches(float[][], Tolerance)} with the strict tolerance (1e-2 of each row's scale). */
    public void assertMatches(float[][] ours) {
        assertMatches(ours, Tolerance.strict());
    }

    /**
     * Checks our logits for {@link #sequence()} (one row per position, each over the whole vocabulary) against the
     * reference, and throws an {@link AssertionError} naming the model, and for each failing position (the first
     * few) the token, both values and the tolerance.
     */
    public void assertMatches(float[][] ours, Tolerance t) {
        List<String> failures = compare(ours, t);
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder("logits of fixture model " + model + " (" + architecture
                    + ") do not match llama.cpp's (" + source + "), " + failures.size() + " position(s):");
            failures.stream().limit(8).forEach(f -> b.append("\n  ").append(f));
            if (failures.size() > 8) {
                b.append("\n  ...");
            }
            throw new AssertionError(b.toString());
        }
    }

    /** The failures of {@link #assertMatches(float[][], Tolerance)}, one line per failing position; empty if none. */
    public List<String> compare(float[][] ours, Tolerance t) {
        if (ours == null || ours.length != logits.length) {
            throw new IllegalArgumentException("expected logits for all " + logits.length + " positions of sequence() of "
                    + model + ", got " + (ours == null ? "null" : ours.length + " rows"));
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            float[] ref = logits[i];
            float[] o = ours[i];
            if (o == null || o.length != vocab) {
                throw new IllegalArgumentException(model + " position " + i + ": expected " + vocab + " logits, got "
                        + (o == null ? "null" : o.length));
            }
            double tol = tolerance(i, t);
            int worst = -1;
            double worstDiff = -1;
            for (int j = 0; j < vocab; j++) {
                double diff = Math.abs((double) o[j] - ref[j]);
                if (!(diff <= tol) && (diff > worstDiff || Double.isNaN(diff))) {
                    worst = j;
                    worstDiff = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                }
            }
            String where = "position " + i + " (after token " + sequence[i] + ")";
            if (worst >= 0) {
                failures.add(String.format("%s: token %d: ours %.6g, llama.cpp %.6g, |diff| %.4g > tolerance %.4g",
                        where, worst, o[worst], ref[worst], worstDiff, tol));
                continue;
            }
            int refTop = argmax(ref);
            int ourTop = argmax(o);
            if (margins[i] > tol && ourTop != refTop) {
                failures.add(String.format("%s: top token is %d (ours %.6g, llama.cpp %.6g), llama.cpp's is %d (ours %.6g, "
                                + "llama.cpp %.6g); llama.cpp's margin %.4g exceeds the tolerance %.4g",
                        where, ourTop, o[ourTop], ref[ourTop], refTop, o[refTop], ref[refTop], margins[i], tol));
            }
        }
        return failures;
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int j = 1; j < x.length; j++) {
            if (x[j] > x[best]) {
                best = j;
            }
        }
        return best;
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private JsonNode field(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw bad("missing field '" + name + "'");
        }
        return n;
    }

    private String text(JsonNode root, String name) {
        return field(root, name).asText();
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("reference logits " + source + ": " + what
                + " (regenerate with scripts/engine-reference/regen-logits.sh)");
    }
}
