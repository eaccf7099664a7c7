package dev.coach.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coach completion}: prints a bash/zsh completion script generated from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for coach.",
                "Load it for this shell:   source <(coach completion)",
                "Install it for bash:      coach completion > ~/.local/share/bash-completion/completions/coach",
                "zsh: add 'autoload -U +X bashcompinit && bashcompinit' before sourcing it."})
public class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("coach", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
