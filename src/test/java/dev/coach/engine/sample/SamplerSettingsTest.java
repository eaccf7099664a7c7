package dev.coach.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SamplerSettingsTest {

    private static final SamplerSettings BASE = SamplerSettings.greedy();

    private static void assertRejected(String setting, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(setting),
                () -> "message should name " + setting + ": " + ex.getMessage());
    }

    @Test
    void greedyFactoryHasZeroTemperatureAndNoFilters() {
        SamplerSettings g = SamplerSettings.greedy();
        assertEquals(0.0, g.temperature());
        assertEquals(0, g.topK());
        assertEquals(1.0, g.topP());
        assertEquals(0.0, g.minP());
        assertEquals(1.0, g.repeatPenalty());
        assertEquals(0.0, g.presencePenalty());
        assertEquals(0.0, g.frequencyPenalty());
    }

    @Test
    void defaultsMatchLlamaCpp() {
        SamplerSettings d = SamplerSettings.defaults(7);
        assertEquals(0.8, d.temperature());
        assertEquals(40, d.topK());
        assertEquals(0.95, d.topP());
        assertEquals(0.05, d.minP());
        assertEquals(64, d.repeatLastN());
        assertEquals(7, d.seed());
    }

    @Test
    void boundaryValuesAreAccepted() {
        new SamplerSettings(0.0, 0, 1.0, 0.0, 1.0, 0, 0.0, 0.0, 0);
        new SamplerSettings(100.0, 1, 1e-9, 0.999, 0.01, 1_000_000, -1.0, -1.0, -5);
    }

    @Test
    void invalidTemperature() {
        assertRejected("temperature", () -> BASE.withTemperature(-0.1));
        assertRejected("temperature", () -> BASE.withTemperature(Double.NaN));
        assertRejected("temperature", () -> BASE.withTemperature(Double.POSITIVE_INFINITY));
    }

    @Test
    void invalidTopK() {
        assertRejected("topK", () -> BASE.withTopK(-1));
    }

    @Test
    void invalidTopP() {
        assertRejected("topP", () -> BASE.withTopP(0.0));
        assertRejected("topP", () -> BASE.withTopP(1.01));
        assertRejected("topP", () -> BASE.withTopP(Double.NaN));
    }

    @Test
    void invalidMinP() {
        assertRejected("minP", () -> BASE.withMinP(-0.01));
        assertRejected("minP", () -> BASE.withMinP(1.0));
        assertRejected("minP", () -> BASE.withMinP(Double.NaN));
    }

    @Test
    void invalidRepeatPenalty() {
        assertRejected("repeatPenalty", () -> BASE.withPenalties(0.0, 64, 0, 0));
        assertRejected("repeatPenalty", () -> BASE.withPenalties(-1.0, 64, 0, 0));
        assertRejected("repeatPenalty", () -> BASE.withPenalties(Double.NaN, 64, 0, 0));
    }

    @Test
    void invalidRepeatLastN() {
        assertRejected("repeatLastN", () -> BASE.withPenalties(1.1, -1, 0, 0));
    }

    @Test
    void invalidPresenceAndFrequency() {
        assertRejected("presencePenalty", () -> BASE.withPenalties(1.0, 64, Double.NaN, 0));
        assertRejected("frequencyPenalty", () -> BASE.withPenalties(1.0, 64, 0, Double.POSITIVE_INFINITY));
    }
}
