package dev.coach.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher hides the JVM's own warnings by sending the JVM's stderr to /dev/null and giving coach the user's
 * stderr as descriptor 3. Run that exact arrangement in a child JVM, with stderr going to a file that already has
 * content: coach's message must be appended, the earlier line kept, the JVM's incubator warning absent.
 */
class LauncherStderrTest {
    @TempDir
    Path dir;

    @Test
    void coachWritesToDescriptorThreeWithoutClobberingTheFile() throws Exception {
        Path log = dir.resolve("err.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String script = "echo 'earlier line' >&2; exec '" + java + "' --add-modules jdk.incubator.vector -cp '" + cp
                + "' -Dcoach.stderr.fd=3 dev.coach.cli.Main bank show no-such-question-id 3>&2 2>/dev/null";
        Process p = new ProcessBuilder("bash", "-c", script).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String text = Files.readString(log);
        List<String> lines = text.lines().toList();
        assertEquals("earlier line", lines.getFirst(), text);
        assertTrue(text.contains("coach: no question with id 'no-such-question-id'"), text);
        assertFalse(text.contains("\0"), "no NUL bytes from writing at the wrong offset");
        assertFalse(text.contains("incubator"), "the JVM's warning stays off the screen");
    }
}
