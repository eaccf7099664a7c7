package dev.coach.download;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished download.
 *
 * @param path           where the file now is
 * @param bytes          its size
 * @param sha256         its sha256, lower-case hex
 * @param verified       true when the sha256 (and size, when known) were checked against expected values
 * @param resumedFrom    how many bytes of an earlier partial download were kept (0 for a fresh download)
 * @param alreadyPresent true when the file was already there and nothing was downloaded
 * @param notes          things the user should know (for example that a file does not look like a GGUF model)
 */
public record DownloadResult(Path path, long bytes, String sha256, boolean verified, long resumedFrom, boolean alreadyPresent,
                             List<String> notes) {
    public DownloadResult {
        notes = List.copyOf(notes);
    }
}
