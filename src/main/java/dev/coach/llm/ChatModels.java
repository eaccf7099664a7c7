package dev.coach.llm;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.time.Duration;
import java.util.Set;

/** Builds LangChain4j chat models for the judge: temperature 0, our retrying HTTP client, no LangChain4j retries. */
public final class ChatModels {
    private ChatModels() {
    }

    /** Opens the GGUF file named by {@code --model} in coach's own engine; temperature 0 unless a request says otherwise. */
    static ChatModel local(BackendSettings s) {
        if (s.model() == null || s.model().isBlank()) {
            throw new BackendException("the local backend needs a model file: --model PATH.gguf (see 'coach model info')");
        }
        java.nio.file.Path path = java.nio.file.Path.of(s.model());
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new BackendException("the local backend's model file " + path + " does not exist; pass --model PATH.gguf");
        }
        try {
            dev.coach.engine.LocalModel m = dev.coach.engine.LocalModel.open(path, 0, 0);
            return new LocalChatModel(m, dev.langchain4j.model.chat.request.ChatRequestParameters.builder().temperature(0.0).build(),
                    LocalChatModel.schemaMasks(m), 0L);
        } catch (dev.coach.engine.gguf.GgufException e) {
            throw new BackendException(e.getMessage());
        }
    }

    public static ChatModel build(BackendSettings s, HttpClientBuilder http, Duration timeout) {
        return switch (s.backend()) {
            case OPENAI -> {
                if (s.apiKey() == null) {
                    throw new BackendException("the openai backend needs an API key: set OPENAI_API_KEY, or run "
                            + "'coach config set api-key' (for a local OpenAI-compatible server any non-empty key works)");
                }
                yield OpenAiChatModel.builder()
                        .baseUrl(s.baseUrl())
                        .apiKey(s.apiKey())
                        .modelName(s.model())
                        .temperature(0.0)
                        .timeout(timeout)
                        .maxRetries(0)
                        .httpClientBuilder(http)
                        .strictJsonSchema(true)
                        .supportedCapabilities(Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                        .build();
            }
            case OLLAMA -> OllamaChatModel.builder()
                    .baseUrl(s.baseUrl())
                    .modelName(s.model())
                    .temperature(0.0)
                    .timeout(timeout)
                    .maxRetries(0)
                    .httpClientBuilder(http)
                    .supportedCapabilities(Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                    .build();
            case LOCAL -> local(s);
            default -> throw new IllegalArgumentException("no chat model for the offline backend");
        };
    }
}
