package dev.coach.cli;

import dev.coach.bank.Bank;
import dev.coach.bank.Question;
import dev.coach.grade.Embedder;
import dev.coach.grade.Embedders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code coach grade prepare}: embed the bank's rubric texts once, so later offline grading starts warm. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Embed every outline point, trap and figure description of the bank with the offline grader's model and keep the "
                + "vectors in coach's cache directory (~/.cache/coach/embeddings), so offline grading only has to embed answers.",
                "install.sh runs this once; run it again after adding your own questions (it only embeds what is new)."})
public class GradePrepareCommand implements Callable<Integer> {
    @Mixin
    BankOptions bankOptions;
    @Option(names = "--embedding", paramLabel = "NAME", defaultValue = Embedders.DEFAULT, description = "Embedding model (default: ${DEFAULT-VALUE}).")
    String embedding;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GradingOptions.checkEmbedding(embedding);
        Bank bank = bankOptions.load();
        long t0 = System.nanoTime();
        Embedder e = Embedders.create(embedding, Embedders.cacheDir().resolve("embeddings"));
        int before = e.store().size();
        List<String> texts = new ArrayList<>();
        for (Question q : bank.questions()) {
            q.outline().forEach(p -> texts.add(p.point()));
            q.traps().forEach(t -> texts.add(t.mistake()));
            q.numbers().forEach(n -> texts.add(n.measures()));
            texts.add(q.question());
        }
        e.embedKept(texts);
        e.store().flush();
        spec.commandLine().getOut().printf("%s: %d rubric texts ready (%d new) in %.1f s, kept in %s%n", embedding, e.store().size(),
                e.store().size() - before, (System.nanoTime() - t0) / 1e9, Embedders.cacheDir().resolve("embeddings"));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
