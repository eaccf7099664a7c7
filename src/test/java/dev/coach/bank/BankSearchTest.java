package dev.coach.bank;

import dev.coach.testing.BankFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BankSearchTest {
    @TempDir
    Path dir;

    private BankSearch search() {
        BankFixtures.write(dir, "categories.yaml", BankFixtures.CATEGORIES);
        String kv = BankFixtures.question("kv-cache", "attention").replace("What does kv-cache mean?",
                "Why does the key-value cache make decoding faster?").replace("category: basics", "category: serving");
        String att = BankFixtures.question("attention", "kv-cache").replace("What does attention mean?",
                "How does self-attention mix information between tokens?");
        String quant = BankFixtures.question("quantization", "kv-cache").replace("What does quantization mean?",
                "What does weight quantization trade away?").replace("category: basics", "category: serving");
        BankFixtures.write(dir, "basics.yaml", "questions:\n" + att);
        BankFixtures.write(dir, "serving.yaml", "questions:\n" + kv + quant);
        return new BankSearch(BankLoader.load(List.of(dir)).orThrow());
    }

    @Test
    void exactWordsRankTheRightQuestionFirst() {
        assertEquals("kv-cache", search().search("key value cache", 5).getFirst().question().id());
    }

    @Test
    void typosStillFindTheQuestion() {
        assertEquals("attention", search().search("slef atention", 5).getFirst().question().id());
        assertEquals("quantization", search().search("quantisation", 5).getFirst().question().id());
    }

    @Test
    void prefixesMatch() {
        assertEquals("quantization", search().search("quant", 5).getFirst().question().id());
    }

    @Test
    void nothingMatchesGibberish() {
        assertTrue(search().search("zzzzqqq", 5).isEmpty());
    }

    @Test
    void distanceCountsSwapsAsOneEdit() {
        assertEquals(1, Spelling.distance("atention", "attention"));
        assertEquals(1, Spelling.distance("teh", "the"));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
    }
}
