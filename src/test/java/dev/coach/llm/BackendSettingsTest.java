package dev.coach.llm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSettingsTest {
    static final BackendSettings.Request NONE = new BackendSettings.Request(null, null, null);

    @Test
    void autoUsesTheConfiguredBackendFirst() {
        List<String> probed = new ArrayList<>();
        BackendSettings s = BackendSettings.resolve(NONE, Map.of("OPENAI_API_KEY", "sk-x"), CoachConfig.EMPTY.with("backend", "openai"),
                h -> probed.add(h));
        assertEquals(Backend.OPENAI, s.backend());
        assertTrue(probed.isEmpty(), "no probe when a backend is configured");
    }

    @Test
    void autoPrefersOllamaWhenItAnswersElseOffline() {
        BackendSettings up = BackendSettings.resolve(NONE, Map.of(), CoachConfig.EMPTY, h -> h.equals("http://localhost:11434"));
        assertEquals(Backend.OLLAMA, up.backend());
        assertEquals(BackendSettings.DEFAULT_OLLAMA_MODEL, up.model());
        BackendSettings down = BackendSettings.resolve(NONE, Map.of(), CoachConfig.EMPTY, h -> false);
        assertEquals(Backend.OFFLINE, down.backend());
        assertTrue(down.reason().contains("300 ms"), down.reason());
    }

    @Test
    void ollamaHostFromTheEnvironmentGetsAScheme() {
        BackendSettings s = BackendSettings.resolve(new BackendSettings.Request("ollama", null, null), Map.of("OLLAMA_HOST", "127.0.0.1:11500"),
                CoachConfig.EMPTY, h -> false);
        assertEquals("http://127.0.0.1:11500", s.baseUrl());
    }

    @Test
    void commandLineBeatsEnvironmentBeatsConfig() {
        CoachConfig cfg = CoachConfig.EMPTY.with("model", "from-config").with("base-url", "http://config/v1").with("api-key", "sk-config");
        BackendSettings s = BackendSettings.resolve(new BackendSettings.Request("openai", "from-cli", null),
                Map.of("OPENAI_BASE_URL", "http://env/v1", "OPENAI_API_KEY", "sk-env"), cfg, h -> false);
        assertEquals("from-cli", s.model());
        assertEquals("http://env/v1", s.baseUrl());
        assertEquals("sk-env", s.apiKey());
        assertFalse(s.toString().contains("sk-env"), s.toString());
    }
}
