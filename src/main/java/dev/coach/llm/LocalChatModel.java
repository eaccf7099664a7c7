package dev.coach.llm;

import dev.coach.engine.LocalModel;
import dev.coach.engine.chat.ChatTemplate;
import dev.coach.engine.generate.GenerationResult;
import dev.coach.engine.generate.GenerationSettings;
import dev.coach.engine.generate.TokenMask;
import dev.coach.engine.sample.SamplerSettings;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * coach's own engine as a LangChain4j {@link ChatModel} and {@link StreamingChatModel}, so the judge and the
 * interviewer run on a local GGUF file exactly as on a server. Per request it honours temperature, top-p, top-k,
 * maximum output tokens, stop sequences and the JSON response format (through a token mask when one is given for
 * the format); requests are served one at a time.
 */
public final class LocalChatModel implements ChatModel, StreamingChatModel {
    /** Output limit when a request sets none. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    private final LocalModel model;
    private final ChatRequestParameters defaults;
    private final Function<ResponseFormat, TokenMask> masks;
    private final long seed;

    /**
     * @param defaults parameters used where a request sets none (e.g. temperature 0 for the judge)
     * @param masks    builds the token mask for a JSON response format; may return null for "unconstrained"
     */
    public LocalChatModel(LocalModel model, ChatRequestParameters defaults, Function<ResponseFormat, TokenMask> masks, long seed) {
        this.model = Objects.requireNonNull(model);
        this.defaults = defaults == null ? ChatRequestParameters.builder().build() : defaults;
        this.masks = masks == null ? f -> null : masks;
        this.seed = seed;
    }

    /** Masks that keep output inside the request's JSON schema; plain JSON mode (no schema) is left unconstrained. */
    public static Function<ResponseFormat, TokenMask> schemaMasks(LocalModel model) {
        return format -> format.jsonSchema() == null || format.jsonSchema().rootElement() == null ? null
                : model.jsonMask(EngineSchemas.convert(format.jsonSchema().rootElement()));
    }

    public LocalModel localModel() {
        return model;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public List<dev.langchain4j.model.chat.listener.ChatModelListener> listeners() {
        return List.of();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return run(request, s -> { });
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse response;
        try {
            response = run(request, handler::onPartialResponse);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    private synchronized ChatResponse run(ChatRequest request, Consumer<String> onText) {
        ChatRequestParameters p = request.parameters() == null ? defaults : request.parameters().defaultedBy(defaults);
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedOperationException("the local engine does not call tools");
        }
        GenerationSettings settings = settings(p);
        GenerationResult r = model.chat(messages(request.messages()), settings, onText);
        FinishReason finish = switch (r.finish()) {
            case STOP_TOKEN, STOP_STRING -> FinishReason.STOP;
            case LENGTH, CONTEXT -> FinishReason.LENGTH;
        };
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(r.text()))
                .metadata(ChatResponseMetadata.builder()
                        .modelName(model.path().getFileName().toString())
                        .tokenUsage(new TokenUsage(r.promptTokens(), r.generatedTokens()))
                        .finishReason(finish)
                        .build())
                .build();
    }

    GenerationSettings settings(ChatRequestParameters p) {
        // llama.cpp's sampler defaults wherever the request (or this model's defaults) leaves a setting open
        SamplerSettings d = SamplerSettings.defaults(seed);
        SamplerSettings sampling = new SamplerSettings(
                p.temperature() == null ? d.temperature() : p.temperature(),
                p.topK() == null ? d.topK() : p.topK(),
                p.topP() == null ? d.topP() : p.topP(),
                d.minP(), d.repeatPenalty(), d.repeatLastN(),
                p.presencePenalty() == null ? d.presencePenalty() : p.presencePenalty(),
                p.frequencyPenalty() == null ? d.frequencyPenalty() : p.frequencyPenalty(), seed);
        int max = p.maxOutputTokens() == null ? DEFAULT_MAX_TOKENS : p.maxOutputTokens();
        List<String> stops = p.stopSequences() == null ? List.of() : p.stopSequences();
        TokenMask mask = null;
        ResponseFormat format = p.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            mask = masks.apply(format);
        }
        return new GenerationSettings(sampling, max, stops, mask);
    }

    static List<dev.coach.engine.chat.ChatMessage> messages(List<ChatMessage> in) {
        List<dev.coach.engine.chat.ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : in) {
            switch (m) {
                case SystemMessage s -> out.add(new dev.coach.engine.chat.ChatMessage("system", s.text()));
                case UserMessage u -> {
                    if (!u.hasSingleText()) {
                        throw new UnsupportedOperationException("the local engine reads text messages only");
                    }
                    out.add(new dev.coach.engine.chat.ChatMessage("user", u.singleText()));
                }
                case AiMessage a -> out.add(new dev.coach.engine.chat.ChatMessage("assistant", a.text() == null ? "" : a.text()));
                default -> throw new UnsupportedOperationException("the local engine does not take " + m.type() + " messages");
            }
        }
        return out;
    }
}
