package dev.coach.bank.importer;

import dev.coach.bank.Level;
import dev.coach.bank.Question;
import dev.coach.bank.Role;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownImporterTest {

    static MarkdownImporter.Result importFixture(String name) {
        try (InputStream in = MarkdownImporterTest.class.getResourceAsStream("/import/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return MarkdownImporter.importText(Path.of(name), text, "imported");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void taggedLayoutKeepsOutlineNumbersFollowUpsTrapsAndTags() {
        MarkdownImporter.Result r = importFixture("tagged.md");
        assertEquals(Layout.TAGGED, r.layout());
        assertEquals(2, r.questions().size());
        Question q = r.questions().getFirst();
        assertEquals("Why do we cache keys and values during decoding?", q.question());
        assertEquals(Level.MID, q.level());
        assertEquals(4, q.outline().size());
        assertEquals("Each decode step needs keys and values of all earlier positions.", q.outline().getFirst().point());
        assertEquals(2, q.numbers().size());
        assertEquals("4 GiB", q.numbers().get(1).figure());
        assertEquals("Llama-3-8B at 32k in FP16", q.numbers().get(1).measures());
        assertEquals(List.of("How does grouped-query attention shrink it?", "What is paged attention?"),
                q.followups().stream().map(f -> f.question()).toList());
        assertEquals(2, q.traps().size());
        assertEquals("Calling it a prompt cache.", q.traps().getFirst().mistake());
        assertEquals("The prompt cache is shared across requests.", q.traps().getFirst().why());
        assertEquals(Level.SENIOR, r.questions().get(1).level());
        assertEquals(List.of("tagged#Q01"), q.sources());
    }

    @Test
    void numberedLayoutReadsDifficultyRolesAndAMissingHeading() {
        MarkdownImporter.Result r = importFixture("numbered.md");
        assertEquals(Layout.NUMBERED, r.layout());
        assertEquals(3, r.questions().size(), "the block with a Difficulty line but no heading is still a question");
        Question first = r.questions().getFirst();
        assertEquals(Level.MID, first.level());
        assertEquals(List.of(Role.MLE, Role.RESEARCH_ENGINEER, Role.LLM_ENGINEER), first.roles());
        assertEquals(3, first.outline().size());
        assertEquals(2, first.followups().size());
        Question missing = r.questions().get(1);
        assertTrue(missing.question().startsWith("[question 2: heading missing in the source]"), missing.question());
        assertEquals(Level.SENIOR, missing.level());
        assertEquals(1, r.report().warnings().size());
        Question third = r.questions().get(2);
        assertEquals(1, third.traps().size(), "a 'Common mistakes' list becomes traps");
        assertEquals(List.of(Role.values()), third.roles(), "'Roles: All' names every role");
        assertEquals(2, third.followups().size());
        assertFalse(third.followups().stream().anyMatch(f -> f.question().contains("Week one")), "the study plan after the last question is skipped");
        assertTrue(r.report().skippedLines() >= 2);
    }

    @Test
    void qColonLayoutTakesShortAnswers() {
        MarkdownImporter.Result r = importFixture("qcolon.md");
        assertEquals(Layout.Q_COLON, r.layout());
        assertEquals(2, r.questions().size());
        assertEquals(2, r.questions().get(1).outline().size());
        assertEquals("What does a tokenizer do?", r.questions().getFirst().question());
    }

    @Test
    void handbookLayoutKeepsTheTipAndDropsDiagramLabels() {
        MarkdownImporter.Result r = importFixture("handbook.txt");
        assertEquals(Layout.HANDBOOK, r.layout());
        assertEquals(2, r.questions().size());
        Question q = r.questions().getFirst();
        assertEquals("What is an embedding, in plain words?", q.question());
        assertEquals(2, q.outline().size());
        assertEquals("Interview tip: Say where embeddings appear: the input layer, retrieval, and clustering.", q.outline().get(1).point());
        assertFalse(q.outline().stream().anyMatch(p -> p.point().contains("Part Two")), "text after the tip is skipped");
        assertEquals(3, r.questions().get(1).outline().size());
        assertEquals(2, r.report().with(ImportReport.Part.TIPS));
    }

    @Test
    void quickReferenceLayoutReadsOnlyTheQuickReferenceList() {
        MarkdownImporter.Result r = importFixture("guide.md");
        assertEquals(Layout.QUICK_REFERENCE, r.layout());
        assertEquals(2, r.questions().size());
        Question q = r.questions().getFirst();
        assertEquals("Why does batching raise throughput on a GPU?", q.question());
        assertEquals(3, q.outline().size(), "the one-paragraph answer is split into sentences");
        assertEquals(List.of("guide#R01"), q.sources());
    }

    @Test
    void plainMarkdownUsesOneHeadingPerQuestion() {
        MarkdownImporter.Result r = importFixture("plain.md");
        assertEquals(Layout.HEADINGS, r.layout());
        assertEquals(List.of("What is dropout?", "Why normalise layers?"), r.questions().stream().map(Question::question).toList());
        assertEquals(2, r.questions().get(1).outline().size());
        assertEquals("Keeps activations in a stable range.", r.questions().get(1).outline().getFirst().point());
    }

    @Test
    void idsAreSlugsAndUnique() {
        MarkdownImporter.Result r = importFixture("tagged.md");
        assertEquals("cache-keys-values-during-decoding", r.questions().getFirst().id());
        assertEquals("question-7", MarkdownImporter.slug("???", 7));
    }
}
