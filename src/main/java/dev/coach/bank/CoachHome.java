package dev.coach.bank;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where coach's shipped files (bank, prompts) and the user's own files live.
 * The home is found from the {@code coach.home} property (set by the launcher), then {@code COACH_HOME},
 * then the directory holding coach's jar, then the nearest parent of the working directory that holds a bank.
 */
public final class CoachHome {
    private final Path home;
    private final Path configDir;

    public CoachHome(Path home, Path configDir) {
        this.home = home;
        this.configDir = configDir;
    }

    public static CoachHome detect() {
        return detect(System.getenv(), Path.of("").toAbsolutePath());
    }

    static CoachHome detect(Map<String, String> env, Path cwd) {
        return new CoachHome(findHome(env, codeLocation(), cwd).orElse(null), configDir(env));
    }

    private static Path codeLocation() {
        try {
            return Path.of(CoachHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    static Optional<Path> findHome(Map<String, String> env, Path code, Path cwd) {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("coach.home");
        if (prop != null && !prop.isBlank()) {
            candidates.add(Path.of(prop));
        }
        String fromEnv = env.get("COACH_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            candidates.add(Path.of(fromEnv));
        }
        if (code != null && code.getParent() != null) {
            candidates.add(code.getParent());
            candidates.add(code.getParent().getParent());
        }
        for (Path p = cwd; p != null; p = p.getParent()) {
            candidates.add(p);
        }
        return candidates.stream().filter(p -> p != null && Files.isRegularFile(p.resolve("bank").resolve(BankLoader.CATEGORIES_FILE)))
                .findFirst();
    }

    static Path configDir(Map<String, String> env) {
        String override = System.getProperty("coach.config.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("coach");
    }

    public Optional<Path> home() {
        return Optional.ofNullable(home);
    }

    public Path configDir() {
        return configDir;
    }

    /** The shipped bank, then the user's own bank directory if it exists, then the extra directories given. */
    public List<Path> bankDirectories(List<Path> extra) {
        List<Path> dirs = new ArrayList<>();
        if (home != null) {
            dirs.add(home.resolve("bank"));
        }
        Path user = configDir.resolve("bank");
        if (Files.isDirectory(user)) {
            dirs.add(user);
        }
        dirs.addAll(extra);
        return dirs;
    }
}
