package dev.coach.engine.model;

import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints, per fixture, how far our teacher-forced logits are from llama.cpp's: the worst |ours − ref| / max|ref| over
 * all rows, llama.cpp's own flash-attention drift on the same scale, and whether the strict 1e-2 check passes.
 * Run with {@code scripts/engine-reference/java-main.sh dev.coach.engine.model.ReferenceReport [NAME...]}.
 */
public final class ReferenceReport {
    private ReferenceReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("coach-fixtures");
        List<String> names = args.length > 0 ? List.of(args) : FixtureModels.NAMES;
        System.out.println("| fixture | architecture | worst diff / max logit | llama.cpp FA on/off drift | strict 1e-2 |");
        System.out.println("|---|---|---|---|---|");
        for (String name : names) {
            ReferenceLogits ref = ReferenceLogits.load(name);
            try (GgufFile f = GgufReader.open(FixtureModels.write(name, dir)); Model m = Model.load(f, 1)) {
                float[][] ours = m.teacherForced(ref.sequence());
                double worst = 0;
                double drift = 0;
                for (int i = 0; i < ref.rows(); i++) {
                    float[] r = ref.logits(i);
                    double max = 0;
                    double diff = 0;
                    for (int j = 0; j < r.length; j++) {
                        max = Math.max(max, Math.abs(r[j]));
                        diff = Math.max(diff, Math.abs(r[j] - ours[i][j]));
                    }
                    worst = Math.max(worst, diff / max);
                    drift = Math.max(drift, ref.flashAttentionDiff(i) / max);
                }
                int problems = ref.compare(ours, ReferenceLogits.Tolerance.strict()).size();
                System.out.printf(Locale.ROOT, "| %s | %s | %.1e | %.1e | %s |%n", name, ref.architecture(), worst, drift,
                        problems == 0 ? "pass" : problems + " of " + ref.rows() * ref.vocabSize() + " logits over");
            }
        }
    }
}
