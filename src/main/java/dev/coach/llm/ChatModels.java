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
            case LOCAL -> throw new BackendException("the local engine is not available yet; use --backend offline, ollama or openai");
            default -> throw new IllegalArgumentException("no chat model for the offline backend");
        };
    }
}
