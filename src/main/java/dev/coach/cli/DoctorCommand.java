package dev.coach.cli;

import dev.coach.bank.BankLoader;
import dev.coach.bank.CoachHome;
import dev.coach.grade.Embedders;
import dev.coach.llm.BackendSettings;
import dev.coach.llm.CoachConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coach doctor}: what coach would use right now, and whether each backend answers. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check coach's setup: the bank, the config file, which grading backends answer (OpenAI or compatible, Ollama, "
                + "the offline grader), the backend and model that would be used, and where transcripts go.",
                "Never prints an API key."})
public class DoctorCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Mixin
    GradingOptions grading;
    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> r = new LinkedHashMap<>();
        CoachHome home = CoachHome.detect();
        r.put("coach home", home.home().map(Path::toString).orElse("not found (set COACH_HOME)"));
        try {
            BankLoader.Result b = bankOptions.loadAll();
            r.put("bank", b.bank().size() + " questions from " + String.join(", ", bankOptions.directories().stream().map(Path::toString).toList())
                    + (b.ok() ? "" : " — " + b.problems().size() + " problem(s): run 'coach bank lint'"));
        } catch (RuntimeException e) {
            r.put("bank", "cannot load: " + e.getMessage());
        }
        Path cfg = CoachConfig.file(home.configDir());
        CoachConfig config;
        try {
            config = CoachConfig.load(cfg);
            r.put("config", cfg + (Files.exists(cfg) ? "" : " (none)") + (config.apiKey() != null ? ", holds an API key" : ""));
        } catch (RuntimeException e) {
            config = CoachConfig.EMPTY;
            r.put("config", e.getMessage());
        }
        String key = System.getenv("OPENAI_API_KEY") != null ? "OPENAI_API_KEY is set" : config.apiKey() != null ? "key in config" : "no API key";
        BackendSettings openai = BackendSettings.resolve(new BackendSettings.Request("openai", null, grading.baseUrl), System.getenv(), config, h -> false);
        r.put("openai", openai.baseUrl() + " — " + key + ", " + probe(openai.baseUrl() + "/models", openai.apiKey()));
        BackendSettings ollama = BackendSettings.resolve(new BackendSettings.Request("ollama", null, null), System.getenv(), config, h -> false);
        r.put("ollama", ollama.baseUrl() + " — " + probe(ollama.baseUrl() + "/api/tags", null));
        r.put("local", "not available yet (the local engine is planned)");
        long t0 = System.nanoTime();
        try {
            Embedders.create(Embedders.DEFAULT).embed(java.util.List.of("warm-up sentence"));
            r.put("offline", "ready (" + Embedders.DEFAULT + " loaded in " + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        } catch (RuntimeException | LinkageError e) {
            r.put("offline", "cannot load the embedding model: " + e.getMessage());
        }
        try {
            BackendSettings use = grading.settings();
            r.put("grading with", use.describe() + (use.reason().isBlank() ? "" : " (" + use.reason() + ")"));
        } catch (RuntimeException e) {
            r.put("grading with", e.getMessage());
        }
        r.put("transcripts", Path.of("transcripts").toAbsolutePath() + " inside a coach checkout, else "
                + dataDir().resolve("transcripts") + " (used by mock and drill)");
        if (json) {
            Json.print(spec.commandLine().getOut(), r);
        } else {
            int w = r.keySet().stream().mapToInt(String::length).max().orElse(10);
            r.forEach((k, v) -> spec.commandLine().getOut().printf("%-" + w + "s  %s%n", k, v));
            spec.commandLine().getOut().flush();
        }
        return ExitCode.OK;
    }

    static Path dataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share")).resolve("coach");
    }

    private static String probe(String url, String key) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET();
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            HttpResponse<Void> resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(b.build(), HttpResponse.BodyHandlers.discarding());
            return resp.statusCode() == 200 ? "answers" : "answers with HTTP " + resp.statusCode();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "does not answer (" + e.getClass().getSimpleName() + ")";
        }
    }
}
