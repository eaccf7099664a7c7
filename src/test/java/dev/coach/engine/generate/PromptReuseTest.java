package dev.coach.engine.generate;

import dev.coach.engine.LocalModel;
import dev.coach.engine.model.FixtureModels;
import dev.coach.engine.model.Session;
import dev.coach.engine.sample.SamplerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generation reuses the cache of the one before it for the tokens their prompts share: only the rest is fed, and
 * what comes out is what a fresh generator gives. On a small synthetic llama model (no download).
 */
class PromptReuseTest {
    @TempDir
    static Path dir;
    static LocalModel engine;

    private static final GenerationSettings GREEDY = new GenerationSettings(SamplerSettings.greedy(), 8, List.of());

    @BeforeAll
    static void load() {
        engine = LocalModel.open(FixtureModels.write("llama-q8_0", dir), 2, 512);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static Generator generator() {
        return new Generator(engine.model(), engine.tokenizer(), 512);
    }

    private static int[] tokens(String text) {
        return engine.tokenizer().encode(text);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Token ids 3, 4, ... of the given length: a prompt with no special tokens, long enough to span several chunks. */
    private static int[] ramp(int from, int length) {
        return IntStream.range(from, from + length).map(i -> 3 + i % 200).toArray();
    }

    @Test
    void rewindingAndFeedingOtherTokensGivesExactlyTheLogitsOfNeverHavingFedTheFirstOnes() {
        int[] shared = ramp(0, 45);
        int[] detour = ramp(50, 20);
        int[] rest = ramp(100, 7);
        Session s = engine.model().newSession(512);
        s.prefill(shared);
        s.prefill(detour);
        assertEquals(65, s.position());
        s.rewind(shared.length);
        float[] reused = s.prefill(rest).clone();

        Session fresh = engine.model().newSession(512);
        fresh.prefill(shared);
        float[] expected = fresh.prefill(rest);
        assertArrayEquals(expected, reused, "the detour's keys and values were overwritten, not attended to");
        assertEquals(52, s.position());
    }

    @Test
    void rewindStaysInsideWhatWasFed() {
        Session s = engine.model().newSession(512);
        s.prefill(ramp(0, 5));
        assertThrows(IllegalArgumentException.class, () -> s.rewind(6));
        assertThrows(IllegalArgumentException.class, () -> s.rewind(-1));
        s.rewind(0);
        assertEquals(0, s.position());
    }

    @Test
    void aPromptThatExtendsTheLastOneFeedsOnlyItsNewTokensAndGeneratesTheSameText() {
        int[] first = tokens("You grade answers given in a technical interview. Question: what is a KV cache?");
        int[] second = concat(first, tokens(" Answer: it keeps the keys and values of earlier tokens."));
        Generator g = generator();
        GenerationResult r1 = g.generate(first, GREEDY, null);
        assertEquals(0, r1.reusedPromptTokens(), "nothing to reuse the first time");
        GenerationResult r2 = g.generate(second, GREEDY, null);

        assertTrue(r2.reusedPromptTokens() >= first.length, "the whole first prompt is in the cache: " + r2.reusedPromptTokens());
        assertTrue(r2.reusedPromptTokens() < second.length);
        assertEquals(second.length - r2.reusedPromptTokens(), r2.fedPromptTokens());
        assertEquals(generator().generate(second, GREEDY, null).text(), r2.text(), "the same text as without the cache");
    }

    @Test
    void theSamePromptAgainFeedsOnlyItsLastToken() {
        int[] prompt = tokens("Explain paged attention in two sentences.");
        Generator g = generator();
        GenerationResult r1 = g.generate(prompt, GREEDY, null);
        GenerationResult r2 = g.generate(prompt, GREEDY, null);
        assertEquals(prompt.length - 1, r2.reusedPromptTokens(), "its logits start the generation, so the last token is fed");
        assertEquals(1, r2.fedPromptTokens());
        assertEquals(r1.text(), r2.text());
    }

    @Test
    void aPromptThatDiffersFromTheFirstTokenReusesNothing() {
        Generator g = generator();
        g.generate(ramp(0, 30), GREEDY, null);
        int[] other = ramp(1, 30);
        GenerationResult r = g.generate(other, GREEDY, null);
        assertEquals(0, r.reusedPromptTokens());
        assertEquals(generator().generate(other, GREEDY, null).text(), r.text());
    }

    @Test
    void aGenerationThatFailsPartWayLeavesNothingToReuse() {
        int[] prompt = tokens("Compare quantization formats for local inference.");
        Generator g = generator();
        g.generate(prompt, GREEDY, null);
        assertThrows(IllegalStateException.class, () -> g.generate(prompt, GREEDY, text -> {
            throw new IllegalStateException("the listener gave up");
        }));
        GenerationResult after = g.generate(prompt, GREEDY, null);
        assertEquals(0, after.reusedPromptTokens(), "the failed generation's cache is not trusted");
        assertEquals(generator().generate(prompt, GREEDY, null).text(), after.text());
    }
}
