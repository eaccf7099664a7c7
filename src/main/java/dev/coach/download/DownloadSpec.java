package dev.coach.download;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What to download: the address, the file name to save it under, and, when known, the exact size and sha256 the file must have.
 *
 * @param label          what to call it in messages: the catalogue name, or the file name for a URL
 * @param url            an http or https address
 * @param fileName       a plain file name (no directories)
 * @param expectedBytes  the exact size, or null when unknown
 * @param expectedSha256 lower-case hex, or null when there is nothing to check against
 */
public record DownloadSpec(String label, URI url, String fileName, Long expectedBytes, String expectedSha256) {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    public DownloadSpec {
        if (!isHttp(url)) {
            throw new IllegalArgumentException("not an http(s) address: " + Urls.display(url));
        }
        if (fileName == null || !FILE_NAME.matcher(fileName).matches() || fileName.length() > 200) {
            throw new IllegalArgumentException("'" + fileName + "' cannot be used as a file name");
        }
        if (expectedSha256 != null && !ModelCatalog.SHA256.matcher(expectedSha256).matches()) {
            throw new IllegalArgumentException("a sha256 is 64 hex digits, not '" + expectedSha256 + "'");
        }
        if (expectedBytes != null && expectedBytes < 0) {
            throw new IllegalArgumentException("a file size cannot be negative");
        }
    }

    /** A catalogue model, saved as {@code NAME.gguf} and checked against the catalogue's size and sha256. */
    public static DownloadSpec of(CatalogEntry e) {
        return new DownloadSpec(e.name(), URI.create(e.url()), e.fileName(), e.bytes(), e.sha256());
    }

    /**
     * Any address the user gives, saved under the last segment of its path. A Hugging Face page link
     * ({@code /blob/}) is turned into the file link ({@code /resolve/}).
     *
     * @param sha256 the checksum to verify, or null (the file is then saved unverified)
     * @throws IllegalArgumentException with a message for the user when the address or the checksum is not usable
     */
    public static DownloadSpec forUrl(String address, String sha256) {
        URI u;
        try {
            u = new URI(address.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + address + "' is not a valid URL: " + e.getReason());
        }
        if (!isHttp(u)) {
            throw new IllegalArgumentException("'" + Urls.display(u) + "' is not an http:// or https:// address");
        }
        u = Urls.huggingFaceFileLink(u);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (name.isEmpty() || !FILE_NAME.matcher(name).matches() || name.length() > 200) {
            throw new IllegalArgumentException("cannot take a file name from " + Urls.display(u)
                    + ": its path must end in a plain file name such as model.gguf");
        }
        return new DownloadSpec(name, u, name, null, normaliseSha256(sha256));
    }

    /** Lower-cases a checksum and drops a {@code sha256:} prefix; null stays null. */
    public static String normaliseSha256(String sha256) {
        if (sha256 == null) {
            return null;
        }
        String s = sha256.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("sha256:")) {
            s = s.substring("sha256:".length());
        }
        if (!ModelCatalog.SHA256.matcher(s).matches()) {
            throw new IllegalArgumentException("--sha256 must be 64 hex digits, not '" + sha256.trim() + "'");
        }
        return s;
    }

    private static boolean isHttp(URI u) {
        return u != null && u.getScheme() != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                && u.getHost() != null && !u.getHost().isEmpty();
    }
}
