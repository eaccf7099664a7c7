package dev.coach.llm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The backend to grade with, resolved from (in order) the command line, the environment
 * ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OLLAMA_HOST}), the config file, and defaults.
 * {@code auto} becomes the configured backend, else Ollama if it answers on its host within 300 ms, else offline.
 * {@link #toString()} never shows the key.
 */
public record BackendSettings(Backend backend, String model, String baseUrl, String apiKey, String reason) {
    public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
    public static final String DEFAULT_OLLAMA_MODEL = "llama3.1:8b";
    public static final String DEFAULT_OPENAI_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_OLLAMA_URL = "http://localhost:11434";
    public static final Duration AUTO_PROBE = Duration.ofMillis(300);

    /** What the user asked for on the command line (any of them null). */
    public record Request(String backend, String model, String baseUrl) {
    }

    public static BackendSettings resolve(Request cli, Map<String, String> env, CoachConfig config, Predicate<String> ollamaAnswers) {
        String chosen = cli.backend() != null ? cli.backend() : config.backend() != null ? config.backend() : "auto";
        Backend b = Backend.parse(chosen).orElseThrow(() ->
                new ConfigException("unknown backend '" + chosen + "'; use openai, ollama, local, offline or auto"));
        String reason = cli.backend() != null ? "chosen with --backend" : config.backend() != null ? "from the config file" : "";
        if (b == Backend.AUTO) {
            String host = ollamaHost(env, config, cli);
            if (ollamaAnswers.test(host)) {
                b = Backend.OLLAMA;
                reason = "auto: Ollama answered at " + host;
            } else {
                b = Backend.OFFLINE;
                reason = "auto: no backend configured and no Ollama at " + host + " within " + AUTO_PROBE.toMillis() + " ms";
            }
        }
        return switch (b) {
            case OPENAI -> {
                String url = first(cli.baseUrl(), env.get("OPENAI_BASE_URL"), config.baseUrl(), DEFAULT_OPENAI_URL);
                String key = first(env.get("OPENAI_API_KEY"), config.apiKey());
                yield new BackendSettings(b, first(cli.model(), config.model(), DEFAULT_OPENAI_MODEL), url, key, reason);
            }
            case OLLAMA -> new BackendSettings(b, first(cli.model(), config.model(), DEFAULT_OLLAMA_MODEL), ollamaHost(env, config, cli), null, reason);
            case LOCAL -> new BackendSettings(b, first(cli.model(), config.model()), null, null, reason);
            default -> new BackendSettings(Backend.OFFLINE, null, null, null, reason);
        };
    }

    static String ollamaHost(Map<String, String> env, CoachConfig config, Request cli) {
        String h = first(cli.backend() != null && cli.backend().equalsIgnoreCase("ollama") ? cli.baseUrl() : null,
                env.get("OLLAMA_HOST"), config.ollamaHost(), DEFAULT_OLLAMA_URL);
        if (!h.contains("://")) {
            h = "http://" + h;
        }
        return h.replaceAll("/+$", "");
    }

    /** True if {@code GET host/api/tags} answers 200 within the timeout. */
    public static boolean ollamaAnswers(String host, Duration timeout) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create(host + "/api/tags")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    public String describe() {
        return switch (backend) {
            case OPENAI -> "openai " + model + " at " + baseUrl;
            case OLLAMA -> "ollama " + model + " at " + baseUrl;
            case LOCAL -> "local " + (model == null ? "(no model file)" : model);
            default -> "offline (no model server)";
        };
    }

    @Override
    public String toString() {
        return "BackendSettings[" + describe() + ", key " + (apiKey == null ? "none" : "set") + "]";
    }
}
