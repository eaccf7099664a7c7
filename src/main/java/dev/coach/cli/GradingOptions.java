package dev.coach.cli;

import dev.coach.bank.CoachHome;
import dev.coach.grade.CachingGrader;
import dev.coach.grade.Embedders;
import dev.coach.grade.Grade;
import dev.coach.grade.Grader;
import dev.coach.grade.LlmJudge;
import dev.coach.grade.OfflineGrader;
import dev.coach.llm.Backend;
import dev.coach.llm.BackendSettings;
import dev.coach.llm.ChatModels;
import dev.coach.llm.CoachConfig;
import dev.coach.llm.PromptTemplate;
import dev.coach.llm.RetryingHttpClientBuilder;
import dev.coach.bank.Question;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options that choose and configure the grader; shared by grade, eval, and (later) mock and drill. */
public class GradingOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "openai, ollama, local, offline or auto (default: the config file's backend, else auto). "
                    + "auto = the configured backend, else Ollama if it answers on its host within 300 ms, else offline.")
    String backend;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name for openai/ollama (defaults: "
            + BackendSettings.DEFAULT_OPENAI_MODEL + ", " + BackendSettings.DEFAULT_OLLAMA_MODEL + ").")
    String model;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Server URL: any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio) for openai, or the Ollama host. "
                    + "Environment: OPENAI_BASE_URL, OLLAMA_HOST.")
    String baseUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Read timeout per model call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-fallback", description = "If the model backend fails, stop with exit code 3 instead of using the offline grade.")
    boolean noFallback;

    @Option(names = "--embedding", paramLabel = "NAME", defaultValue = Embedders.DEFAULT,
            description = "Embedding model of the offline grader: " + Embedders.BGE + " or " + Embedders.MINILM + " (default: ${DEFAULT-VALUE}).")
    String embedding;

    private BackendSettings settings;
    private OfflineGrader offline;

    /** The --embedding value, checked; a usage error (exit 2) names the choices. */
    static String checkEmbedding(String name) {
        try {
            return Embedders.checked(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--embedding: " + e.getMessage());
        }
    }

    public BackendSettings settings() {
        if (settings == null) {
            CoachHome home = CoachHome.detect();
            CoachConfig config = CoachConfig.load(CoachConfig.file(home.configDir()));
            settings = BackendSettings.resolve(new BackendSettings.Request(backend, model, baseUrl), System.getenv(), config,
                    host -> BackendSettings.ollamaAnswers(host, BackendSettings.AUTO_PROBE));
        }
        return settings;
    }

    public synchronized OfflineGrader offline() {
        if (offline == null) {
            GradingOptions.checkEmbedding(embedding);
            offline = new OfflineGrader(Embedders.create(embedding, Embedders.cacheDir().resolve("embeddings")), Embedders.params(embedding));
            OfflineGrader made = offline;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> made.embedder().store().flush(), "coach-embedding-store"));
        }
        return offline;
    }

    /** The grader these options describe, optionally behind a cache directory. */
    public Grader grader(Path cacheDir) {
        if (timeoutSeconds < 1) {
            throw new UsageException("--timeout must be at least 1 second");
        }
        BackendSettings s = settings();
        Grader g;
        String version;
        if (s.backend() == Backend.OFFLINE) {
            g = offline();
            version = OfflineGrader.VERSION + "|" + embedding + "|" + Embedders.params(embedding);
        } else {
            CoachHome home = CoachHome.detect();
            PromptTemplate judge = PromptTemplate.load("judge", home.home().orElse(null), home.configDir());
            Grader fallback = noFallback ? null : new LazyOffline();
            LlmJudge j = new LlmJudge(ChatModels.build(s, RetryingHttpClientBuilder.standard(), Duration.ofSeconds(timeoutSeconds)),
                    s.backend().label() + ":" + s.model(), judge, fallback);
            g = j;
            version = j.promptVersion();
        }
        return cacheDir == null ? g : new CachingGrader(g, version, cacheDir);
    }

    /** Loads the embedding model only if the judge ever needs the fallback. */
    private final class LazyOffline implements Grader {
        @Override
        public Grade grade(Question question, String answer) {
            return offline().grade(question, answer);
        }

        @Override
        public String name() {
            return "offline";
        }
    }
}
