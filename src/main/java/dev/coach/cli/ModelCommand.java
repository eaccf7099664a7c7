package dev.coach.cli;

import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coach model}: the local engine's GGUF models. */
@Command(name = "model", mixinStandardHelpOptions = true, subcommands = {ModelCommand.Info.class, ModelRunCommand.class, ModelChatCommand.class, ModelBenchCommand.class, ModelDownloadCommand.class},
        description = "Inspect, run and chat with GGUF model files in coach's own engine (no server needed).")
public class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: info, run, chat, bench or download");
    }

    /** {@code coach model info FILE}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Show a GGUF model: architecture, parameters, the mix of weight types, context length, tokenizer and chat template.",
                    "Exit 1 if the local engine cannot run it (unsupported architecture or tensor type, named), 2 if the file is not a usable GGUF file."})
    static class Info implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--json", description = "Print as JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (GgufFile f = GgufReader.open(file)) {
                ModelInfo info = ModelInfo.of(f);
                String problem = null;
                try {
                    ModelInfo.check(f);
                } catch (GgufException e) {
                    problem = e.getMessage();
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> doc = new java.util.LinkedHashMap<>();
                    doc.put("info", info);
                    doc.put("runnable", problem == null);
                    doc.put("problem", problem);
                    Json.print(out, doc);
                } else {
                    out.println(file + (info.name() == null ? "" : " (" + info.name() + ")"));
                    out.printf(Locale.ROOT, "architecture   %s%n", info.architecture());
                    out.printf(Locale.ROOT, "parameters     %,d (%.2f B)%n", info.parameters(), info.parameters() / 1e9);
                    out.printf(Locale.ROOT, "weights        %.1f MiB in %d tensors%n", info.weightBytes() / 1048576.0, info.tensors());
                    info.typeMix().forEach((t, n) -> out.printf(Locale.ROOT, "  %-6s %5.1f%% of parameters%n", t, 100.0 * n / Math.max(1, info.parameters())));
                    out.println("context        " + (info.contextLength() == null ? "(not stated)" : info.contextLength() + " tokens"));
                    out.println("tokenizer      " + (info.tokenizer() == null ? "(none)" : info.tokenizer()));
                    out.println("chat template  " + (info.chatTemplate() ? "in the file" : "none (a built-in one will be used)"));
                    if (problem != null) {
                        out.println("cannot run:    " + problem);
                    }
                }
                out.flush();
                return problem == null ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } catch (GgufException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }
}
