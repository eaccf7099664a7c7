package dev.coach.download;

import java.nio.file.Path;
import java.util.Map;

/** Where downloaded models live: {@code $XDG_DATA_HOME/coach/models}, else {@code ~/.local/share/coach/models}. */
public final class ModelDirectory {
    private ModelDirectory() {
    }

    public static Path defaultDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return data.resolve("coach").resolve("models");
    }
}
