package dev.coach.cli;

import dev.coach.bank.BankLoader;
import dev.coach.bank.BankWriter;
import dev.coach.bank.Category;
import dev.coach.bank.Problem;
import dev.coach.bank.Question;
import dev.coach.bank.importer.ImportReport;
import dev.coach.bank.importer.MarkdownImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code coach bank import FILE... [--out FILE]}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Turn Markdown question banks into coach bank YAML, report what was recognised and skipped, and lint the result.",
                "",
                "Recognised layouts: 'Q: \"...\"' questions with Tags, Answer outline, Numbers to drop, Common follow-ups and Traps; "
                        + "numbered 'Q12. ...' questions with 'Difficulty: X | Roles: ...', an answer and Follow-ups; 'Q3: ...' questions "
                        + "with short answers; a handbook of 'Q07' questions with interview tips; a study guide's quick-reference list of "
                        + "'\"question\" → answer' lines; and plain Markdown with one heading per question and the answer below it.",
                "",
                "The imported text is kept as written. Parts a document lacks are filled with stated defaults (level mid, "
                        + "frequency common, kind conceptual, role LLM Engineer; the first two outline points marked essential) "
                        + "and the lint summary lists what still needs writing (traps, follow-ups) before the file joins a bank.",
                "",
                "Exit 0 when the import is written (even if lint finds gaps, unless --strict), 2 when a file cannot be read."})
public class BankImportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Markdown or text files to import.")
    List<Path> files;
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Write the bank YAML here (atomically) instead of standard output. If its directory has no "
                    + "categories.yaml, one defining the category is written too, so the directory works with --bank.")
    Path out;
    @Option(names = "--category", paramLabel = "ID", defaultValue = "imported",
            description = "Category id for the imported questions (default: ${DEFAULT-VALUE}).")
    String category;
    @Option(names = "--strict", description = "Exit 1 when the imported questions do not pass 'coach bank lint'.")
    boolean strict;
    @Option(names = "--json", description = "Print the import report as JSON (the YAML then needs --out).")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!category.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new UsageException("--category must be a slug such as 'imported' or 'my-notes', not '" + category + "'");
        }
        if (json && out == null) {
            throw new UsageException("--json prints the report; give --out FILE for the YAML");
        }
        PrintWriter report = out == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
        List<Question> all = new ArrayList<>();
        List<MarkdownImporter.Result> results = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                throw new UsageException(f + ": not UTF-8 text; convert it first (e.g. iconv -t UTF-8)");
            } catch (IOException e) {
                throw new UsageException(f + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
            MarkdownImporter.Result r = MarkdownImporter.importText(f, text, category);
            results.add(r);
            for (Question q : r.questions()) {
                String id = q.id();
                for (int n = 2; !ids.add(id); n++) {
                    id = q.id() + "-" + n;
                }
                all.add(id.equals(q.id()) ? q : new Question(id, q.question(), q.category(), q.level(), q.frequency(), q.kind(),
                        q.roles(), q.sources(), q.outline(), q.numbers(), q.traps(), q.followups(), q.related(), null));
            }
        }
        String yaml = BankWriter.toYaml(all);
        List<Problem> problems = lint(yaml);
        if (out != null) {
            BankWriter.writeAtomically(out, yaml);
            Path cats = out.toAbsolutePath().getParent().resolve(BankLoader.CATEGORIES_FILE);
            if (!Files.exists(cats)) {
                BankWriter.writeAtomically(cats, BankWriter.categoriesYaml(List.of(new Category(category, "Imported questions",
                        "Questions imported from " + String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList()) + "."))));
            }
        } else {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        }
        Map<String, Integer> gaps = gaps(problems);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("out", out.toString());
            doc.put("questions", all.size());
            doc.put("files", results.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", r.file().toString());
                m.put("layout", r.layout().name().toLowerCase());
                m.put("questions", r.report().questions());
                Map<String, Integer> parts = new LinkedHashMap<>();
                for (ImportReport.Part p : ImportReport.Part.values()) {
                    parts.put(p.name().toLowerCase(), r.report().with(p));
                }
                m.put("with", parts);
                m.put("skippedLines", r.report().skippedLines());
                m.put("warnings", r.report().warnings());
                return m;
            }).toList());
            doc.put("lintProblems", problems.size());
            doc.put("lintGaps", gaps);
            Json.print(spec.commandLine().getOut(), doc);
        } else {
            for (MarkdownImporter.Result r : results) {
                report.println(r.report().summary());
                r.report().warnings().forEach(w -> report.println("  warning: " + w));
            }
            report.println((out == null ? "wrote " : "wrote " + out + ": ") + all.size() + " question(s) in category '" + category + "'");
            if (problems.isEmpty()) {
                report.println("lint: OK");
            } else {
                report.println("lint: " + problems.size() + " problem(s) to fix before this joins a bank:");
                gaps.forEach((what, n) -> report.println("  " + n + " × " + what));
                if (out != null) {
                    report.println("run 'coach bank lint --bank-only --bank " + out.toAbsolutePath().getParent() + "' for each one with its line");
                }
            }
            report.flush();
        }
        return strict && !problems.isEmpty() ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }

    private List<Problem> lint(String yaml) throws IOException {
        Path tmp = Files.createTempDirectory("coach-import");
        try {
            Files.writeString(tmp.resolve(BankLoader.CATEGORIES_FILE), BankWriter.categoriesYaml(
                    List.of(new Category(category, "Imported", "Imported questions."))));
            Files.writeString(tmp.resolve(category + ".yaml"), yaml);
            return BankLoader.load(List.of(tmp)).problems();
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Groups lint problems by what is missing ("has 0 follow-up(s)"), without the question ids. */
    private static Map<String, Integer> gaps(List<Problem> problems) {
        Map<String, Integer> out = new TreeMap<>();
        for (Problem p : problems) {
            String m = p.message().replaceAll("question '[^']*'", "question").replaceAll("\\b\\d+ (outline point|essential|follow-up)", "too few $1");
            out.merge(m, 1, Integer::sum);
        }
        return out;
    }
}
