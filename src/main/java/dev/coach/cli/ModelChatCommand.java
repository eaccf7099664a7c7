package dev.coach.cli;

import dev.coach.engine.LocalModel;
import dev.coach.engine.chat.ChatMessage;
import dev.coach.engine.chat.ChatTemplate;
import dev.coach.engine.generate.ContextOverflowException;
import dev.coach.engine.generate.GenerationResult;
import dev.coach.engine.generate.GenerationSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code coach model chat FILE}: a conversation with a local model in the terminal. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a GGUF model in coach's own engine. Each line you type is a user message; the reply streams back.",
                "Commands: /reset forgets the conversation, /quit (or end of input) leaves. Works with piped input too."})
public class ModelChatCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = "--system", paramLabel = "TEXT", description = "A system message for the conversation.")
    String system;
    @Option(names = "--stats", description = "After each reply, print tokens and speed to stderr.")
    boolean stats;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LocalModel m = engine.open()) {
            boolean tty = System.console() != null;
            if (tty) {
                err.printf(Locale.ROOT, "%s: %s, template %s, context %d tokens. /reset to start over, /quit to leave.%n",
                        m.path().getFileName(), m.model().config().architecture(), m.template().name(), m.contextLength());
                err.flush();
            }
            List<ChatMessage> history = new ArrayList<>();
            if (system != null) {
                history.add(new ChatMessage("system", system));
            }
            GenerationSettings settings = new GenerationSettings(engine.sampling(), engine.maxTokens(), engine.stops);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                if (tty) {
                    out.print("> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/quit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    history.removeIf(msg -> !msg.role().equals("system"));
                    err.println("(conversation cleared)");
                    err.flush();
                    continue;
                }
                history.add(new ChatMessage("user", line));
                GenerationResult r;
                try {
                    r = m.chat(history, settings, s -> {
                        out.print(s);
                        out.flush();
                    });
                } catch (ContextOverflowException e) {
                    history.removeLast();
                    err.println("the conversation no longer fits in the context (" + m.contextLength() + " tokens); /reset to start over");
                    err.flush();
                    continue;
                }
                out.println();
                out.flush();
                history.add(new ChatMessage("assistant", r.text()));
                if (stats) {
                    err.printf(Locale.ROOT, "(%d prompt tokens, %d of them reused from the previous turn, the rest at %.1f t/s; "
                                    + "%d generated at %.2f t/s, %s)%n", r.promptTokens(), r.reusedPromptTokens(),
                            r.promptTokensPerSecond(), r.generatedTokens(), r.generationTokensPerSecond(),
                            r.finish().name().toLowerCase(Locale.ROOT).replace('_', ' '));
                    err.flush();
                }
            }
            return ExitCode.OK;
        }
    }
}
