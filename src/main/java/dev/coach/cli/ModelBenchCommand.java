package dev.coach.cli;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.model.Model;
import dev.coach.engine.model.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code coach model bench FILE}: prompt and generation speed the way llama-bench measures them. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the local engine on a GGUF file the way llama.cpp's llama-bench does:",
                "ppN feeds N prompt tokens in one go into an empty cache (logits for the last one only);",
                "tgN generates N tokens one at a time from an empty cache. Each test runs once unmeasured, then --repetitions times;",
                "the median, minimum and maximum tokens per second are reported, with the load time, the time to the first",
                "token of a cold run, the weight bytes read per generated token and the peak resident memory."})
public class ModelBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A GGUF model file.")
    Path file;
    @Option(names = {"-p", "--prompt-tokens"}, paramLabel = "N", defaultValue = "128", description = "Prompt length of the pp test; 0 skips it (default: ${DEFAULT-VALUE}).")
    int prompt;
    @Option(names = {"-n", "--gen-tokens"}, paramLabel = "N", defaultValue = "32", description = "Tokens of the tg test; 0 skips it (default: ${DEFAULT-VALUE}).")
    int gen;
    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: one per processor).")
    int threads;
    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5", description = "Measured runs per test (default: ${DEFAULT-VALUE}).")
    int repetitions;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (prompt < 0 || gen < 0 || repetitions < 1 || threads < 0 || (prompt == 0 && gen == 0)) {
            throw new UsageException("use -p and -n >= 0 (not both 0), -r >= 1 and -t >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try (GgufFile f = GgufReader.open(file);
             Model m = Model.load(f, threads > 0 ? threads : Runtime.getRuntime().availableProcessors())) {
            double loadMs = (System.nanoTime() - start) / 1e6;
            int vocab = m.config().vocabulary();
            int[] tokens = new SplittableRandom(42).ints(Math.max(prompt, 1), 0, vocab).toArray();
            int context = prompt + gen + 1;
            if (context > m.config().trainedContext() && m.config().trainedContext() > 0) {
                throw new UsageException("-p + -n is " + (prompt + gen) + " tokens but the model's context is " + m.config().trainedContext());
            }

            // Cold: the first prompt after loading, to the first sampled token (page faults and JIT included).
            long cold = System.nanoTime();
            Session first = m.newSession(context);
            argmax(first.prefill(Arrays.copyOf(tokens, Math.max(prompt, 1))));
            double firstTokenMs = (System.nanoTime() - cold) / 1e6;

            List<Map<String, Object>> tests = new ArrayList<>();
            if (prompt > 0) {
                tests.add(test("pp" + prompt, prompt, () -> {
                    Session s = m.newSession(context);
                    long t0 = System.nanoTime();
                    s.prefill(Arrays.copyOf(tokens, prompt));
                    return System.nanoTime() - t0;
                }, err));
            }
            if (gen > 0) {
                tests.add(test("tg" + gen, gen, () -> {
                    Session s = m.newSession(context);
                    long t0 = System.nanoTime();
                    int next = tokens[0];
                    for (int i = 0; i < gen; i++) {
                        next = argmax(s.next(next));
                    }
                    return System.nanoTime() - t0;
                }, err));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", file.toString());
            doc.put("architecture", m.config().architecture());
            doc.put("threads", m.threads());
            doc.put("load_ms", ModelRunCommand.round(loadMs));
            doc.put("first_token_ms", ModelRunCommand.round(firstTokenMs));
            doc.put("weight_bytes_per_token", m.weightBytesPerToken());
            doc.put("peak_rss_bytes", peakRss());
            doc.put("tests", tests);
            if (json) {
                Json.print(out, doc);
            } else {
                out.printf(Locale.ROOT, "%s (%s), %d threads: load %.0f ms, first token of a cold %d-token prompt after %.0f ms%n",
                        file.getFileName(), m.config().architecture(), m.threads(), loadMs, Math.max(prompt, 1), firstTokenMs);
                out.printf(Locale.ROOT, "%-8s %12s %12s %12s%n", "test", "median t/s", "min", "max");
                for (Map<String, Object> t : tests) {
                    @SuppressWarnings("unchecked")
                    Map<String, Double> tps = (Map<String, Double>) t.get("tokens_per_second");
                    out.printf(Locale.ROOT, "%-8s %12.2f %12.2f %12.2f%n", t.get("name"), tps.get("median"), tps.get("min"), tps.get("max"));
                }
                long bytes = m.weightBytesPerToken();
                tests.stream().filter(t -> ((String) t.get("name")).startsWith("tg")).findFirst().ifPresent(t -> {
                    @SuppressWarnings("unchecked")
                    double median = ((Map<String, Double>) t.get("tokens_per_second")).get("median");
                    out.printf(Locale.ROOT, "decode reads %.1f MB of weights per token: %.1f GB/s at the median%n", bytes / 1e6, bytes * median / 1e9);
                });
                Object rss = doc.get("peak_rss_bytes");
                if (rss instanceof Long r) {
                    out.printf(Locale.ROOT, "peak resident memory %.0f MiB%n", r / 1048576.0);
                }
            }
            out.flush();
            return ExitCode.OK;
        } catch (GgufException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private interface Run {
        long nanos();
    }

    private Map<String, Object> test(String name, int tokens, Run run, PrintWriter progress) {
        run.nanos(); // warm-up, not measured
        double[] tps = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            tps[i] = tokens * 1e9 / run.nanos();
            if (!json && System.console() != null) {
                progress.printf(Locale.ROOT, "\r%s run %d/%d: %.2f t/s", name, i + 1, repetitions, tps[i]);
                progress.flush();
            }
        }
        if (!json && System.console() != null) {
            progress.print("\r" + " ".repeat(40) + "\r");
            progress.flush();
        }
        double[] sorted = tps.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("tokens", tokens);
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("median", ModelRunCommand.round(median));
        s.put("min", ModelRunCommand.round(sorted[0]));
        s.put("max", ModelRunCommand.round(sorted[sorted.length - 1]));
        t.put("tokens_per_second", s);
        t.put("runs", Arrays.stream(tps).map(ModelRunCommand::round).boxed().toList());
        return t;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The process's peak resident set (VmHWM), or null where /proc is not available. */
    static Long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

}
