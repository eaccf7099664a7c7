package dev.coach.cli;

import dev.coach.bank.CoachHome;
import dev.coach.llm.CoachConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code coach config}: show and change ~/.config/coach/config.yaml. */
@Command(name = "config", mixinStandardHelpOptions = true,
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Set.class, ConfigCommand.Unset.class},
        description = {"Show or change coach's config file (~/.config/coach/config.yaml, or $XDG_CONFIG_HOME/coach/config.yaml).",
                "Keys: backend (openai|ollama|local|offline|auto), model, base-url, api-key, ollama-host.",
                "The file is written atomically and with mode 0600 while it holds an API key; 'show' masks the key."})
public class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        new Show().print(spec.commandLine().getOut());
    }

    static void checkKey(String key) {
        if (!CoachConfig.KEYS.contains(key)) {
            throw new UsageException("unknown key '" + key + "'; keys: " + String.join(", ", CoachConfig.KEYS));
        }
    }

    static Path file() {
        return CoachConfig.file(CoachHome.detect().configDir());
    }

    /** {@code coach config show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the config file's settings (the API key masked).")
    static class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec.commandLine().getOut());
        }

        void print(java.io.PrintWriter out) {
            Path f = file();
            CoachConfig c = CoachConfig.load(f);
            out.println("# " + f + (java.nio.file.Files.exists(f) ? "" : " (not created yet)"));
            if (c.asMap(true).isEmpty()) {
                out.println("# no settings; coach uses --backend auto");
            }
            c.asMap(true).forEach((k, v) -> out.println(k + ": " + v));
            out.flush();
        }
    }

    /** {@code coach config set KEY VALUE}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set KEY to VALUE. For api-key, pass - as the value to type it on standard input, so it stays out of "
                    + "your shell history."})
    static class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            checkKey(key);
            String v = value;
            if (v.equals("-")) {
                v = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (v == null || v.isBlank()) {
                    throw new UsageException("no value on standard input");
                }
                v = v.strip();
            }
            if (key.equals("backend") && dev.coach.llm.Backend.parse(v).isEmpty()) {
                throw new UsageException("backend must be openai, ollama, local, offline or auto");
            }
            Path f = file();
            CoachConfig.load(f).with(key, v).save(f);
            spec.commandLine().getOut().println("set " + key + " in " + f + (key.equals("api-key") ? " (mode 0600)" : ""));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    /** {@code coach config unset KEY}. */
    @Command(name = "unset", mixinStandardHelpOptions = true, description = "Remove KEY from the config file.")
    static class Unset implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            checkKey(key);
            Path f = file();
            CoachConfig.load(f).with(key, null).save(f);
            spec.commandLine().getOut().println("removed " + key + " from " + f);
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
