package dev.coach.engine.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopMatcherTest {

    private static String run(List<String> stops, String... pieces) {
        Generator.StopMatcher m = new Generator.StopMatcher(stops);
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            out.append(m.offer(p));
            if (m.stopped()) {
                return out + "|STOP";
            }
        }
        return out + m.finish("");
    }

    @Test
    void stopStringSplitOverPiecesIsCutAndNeverEmitted() {
        assertEquals("Hello |STOP", run(List.of("<|im_end|>"), "Hello ", "<|im", "_end", "|> more"));
        assertEquals("a|STOP", run(List.of("END"), "aE", "N", "D"));
    }

    @Test
    void heldBackTailIsReleasedWhenItTurnsOutNotToBeAStop() {
        Generator.StopMatcher m = new Generator.StopMatcher(List.of("</s>"));
        assertEquals("x ", m.offer("x </"));
        assertEquals("</b", m.offer("b"));
        assertFalse(m.stopped());
        assertEquals("x <", new Generator.StopMatcher(List.of("</s>")).finish("x <"));
    }

    @Test
    void earliestOfSeveralStopsWins() {
        assertEquals("one |STOP", run(List.of("three", "two"), "one two three"));
        assertEquals("no stops at all", run(List.of(), "no stops", " at all"));
    }

    @Test
    void streamedPiecesConcatenateToTheFinalText() {
        Generator.StopMatcher m = new Generator.StopMatcher(List.of("\n\nUser:"));
        StringBuilder out = new StringBuilder();
        for (String p : new String[]{"Fine.", "\n", "\n", "Us", "ually", "\n\nUser:", " hi"}) {
            out.append(m.offer(p));
            if (m.stopped()) {
                break;
            }
        }
        assertTrue(m.stopped());
        assertEquals("Fine.\n\nUsually", out.toString());
    }
}
