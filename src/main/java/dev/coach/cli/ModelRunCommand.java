package dev.coach.cli;

import dev.coach.engine.LocalModel;
import dev.coach.engine.generate.ContextOverflowException;
import dev.coach.engine.generate.GenerationResult;
import dev.coach.engine.generate.GenerationSettings;
import dev.coach.engine.chat.ChatMessage;
import dev.coach.engine.chat.ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coach model run FILE -p TEXT}: generate from a prompt, streaming, then report speed. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Generate text with a GGUF model in coach's own engine, streaming tokens as they come, then print the speed.",
                "The prompt is continued as raw text; with --chat it is sent as a user message through the model's chat template.",
                "Exit 2 for a file the engine cannot run (the reason is named)."})
public class ModelRunCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", required = true, description = "The prompt; @FILE reads it from a file, - from stdin.")
    String prompt;
    @Option(names = "--chat", description = "Wrap the prompt as a user message in the chat template.")
    boolean chat;
    @Option(names = "--system", paramLabel = "TEXT", description = "With --chat: a system message.")
    String system;
    @Option(names = "--json", description = "Print one JSON object (text, finish reason, tokens, speeds) instead of streaming.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String text = TextArgument.read(prompt, "prompt");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LocalModel m = engine.open()) {
            GenerationSettings settings = new GenerationSettings(engine.sampling(), engine.maxTokens(), engine.stops);
            java.util.function.Consumer<String> sink = json ? s -> { } : s -> {
                out.print(s);
                out.flush();
            };
            GenerationResult r;
            try {
                if (chat) {
                    List<ChatMessage> msgs = system == null ? List.of(new ChatMessage("user", text))
                            : List.of(new ChatMessage("system", system), new ChatMessage("user", text));
                    r = m.chat(msgs, settings, sink);
                } else {
                    r = m.complete(text, settings, sink);
                }
            } catch (ContextOverflowException e) {
                throw new UsageException(e.getMessage());
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("text", r.text());
                doc.put("finish", r.finish().name().toLowerCase(Locale.ROOT));
                doc.put("prompt_tokens", r.promptTokens());
                doc.put("generated_tokens", r.generatedTokens());
                doc.put("prompt_tokens_per_second", round(r.promptTokensPerSecond()));
                doc.put("generation_tokens_per_second", round(r.generationTokensPerSecond()));
                doc.put("time_to_first_token_ms", round(r.firstTokenNanos() / 1e6));
                doc.put("load_ms", round(m.loadNanos() / 1e6));
                doc.put("threads", m.model().threads());
                Json.print(out, doc);
            } else {
                out.println();
                out.flush();
                err.printf(Locale.ROOT, "%nprompt %d tokens at %.1f t/s; generated %d tokens at %.2f t/s (%s); first token after %.0f ms; "
                                + "load %.0f ms; %d threads%n",
                        r.promptTokens(), r.promptTokensPerSecond(), r.generatedTokens(), r.generationTokensPerSecond(),
                        r.finish().name().toLowerCase(Locale.ROOT).replace('_', ' '), r.firstTokenNanos() / 1e6, m.loadNanos() / 1e6,
                        m.model().threads());
                err.flush();
            }
            return ExitCode.OK;
        }
    }

    /** Two decimals, for speeds and times in JSON. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
