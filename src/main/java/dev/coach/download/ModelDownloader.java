package dev.coach.download;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file into a directory, resumably and verified.
 *
 * <p>The bytes go to {@code FILE.part}, and the sha256 is computed as they are written. A later run finds the
 * {@code .part} file, hashes what it holds and asks the server for the rest with a {@code Range} request; a server that
 * answers with the whole file instead ({@code 200}) makes the download start again from zero. Redirects are followed
 * (Hugging Face sends file downloads to a CDN), the Hugging Face token only ever going to the host it was meant for.
 * Dropped connections, stalls, timeouts and {@code 5xx}/{@code 429} answers are retried with a doubling wait, each
 * retry resuming where the last one stopped. When the transfer is complete the file is flushed to disk and checked:
 * only if its size and sha256 are the expected ones is it renamed, atomically, to {@code FILE}; otherwise the partial
 * file is deleted and {@link ChecksumMismatchException} is thrown. A file already present with the expected checksum
 * is not downloaded again.
 */
public final class ModelDownloader {
    static final int BUFFER = 1 << 20;
    static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "coach/" + version() + " (model download)";

    private final DownloadSettings settings;

    public ModelDownloader(DownloadSettings settings) {
        this.settings = settings;
    }

    private static String version() {
        String v = ModelDownloader.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The file a download of {@code spec} into {@code dir} ends up as. */
    public static Path target(DownloadSpec spec, Path dir) {
        return dir.resolve(spec.fileName());
    }

    /** Where a download of {@code spec} into {@code dir} keeps its bytes until they are verified. */
    public static Path partFile(DownloadSpec spec, Path dir) {
        return dir.resolve(spec.fileName() + ".part");
    }

    /**
     * Downloads {@code spec} into {@code dir}.
     *
     * @param force download again even when the file is already there (it is replaced only once the new one is verified)
     * @throws DownloadException         when the network, the server or the disk fails (the partial file is kept)
     * @throws ChecksumMismatchException when the file is not the expected one (the partial file is deleted)
     */
    public DownloadResult download(DownloadSpec spec, Path dir, boolean force, ProgressListener listener) {
        Path target = target(spec, dir);
        Path part = partFile(spec, dir);
        if (!force && Files.isRegularFile(target)) {
            return alreadyThere(spec, target, listener);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DownloadException("cannot create the directory " + dir + ": " + describe(e), e);
        }
        Transfer t = fetch(spec, part, listener);
        if (spec.expectedBytes() != null && t.bytes() != spec.expectedBytes()) {
            deleteQuietly(part);
            throw new ChecksumMismatchException(spec.fileName() + " is " + t.bytes() + " bytes but should be " + spec.expectedBytes()
                    + "; the partial download was deleted. " + mismatchAdvice(spec));
        }
        if (spec.expectedSha256() != null && !spec.expectedSha256().equals(t.sha256())) {
            deleteQuietly(part);
            throw new ChecksumMismatchException(spec.fileName() + " has sha256 " + t.sha256() + " but should have " + spec.expectedSha256()
                    + "; the partial download was deleted. " + mismatchAdvice(spec));
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DownloadException("cannot rename " + part + " to " + target.getFileName() + ": " + describe(e), e);
        }
        syncDirectory(dir);
        return new DownloadResult(target, t.bytes(), t.sha256(), spec.expectedSha256() != null, t.resumedFrom(), false, notesAbout(target));
    }

    private static String mismatchAdvice(DownloadSpec spec) {
        return spec.expectedSha256() == null
                ? "Run the command again to download it afresh."
                : "Run the command again to download it afresh; if it fails the same way, the file on the server is not the one expected "
                + "(it may have been replaced), so check the checksum you gave or the model's page.";
    }

    /** The file is there already: check it instead of downloading it. */
    private DownloadResult alreadyThere(DownloadSpec spec, Path target, ProgressListener listener) {
        long size;
        String sha;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
            size = ch.size();
            if (spec.expectedBytes() != null && size != spec.expectedBytes()) {
                throw new ChecksumMismatchException(target + " already exists but is " + size + " bytes, not " + spec.expectedBytes()
                        + "; delete it, or pass --force to download it again.");
            }
            MessageDigest md = newSha256();
            hashPrefix(ch, size, md, target.getFileName().toString(), listener);
            sha = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new DownloadException("cannot read " + target + ": " + describe(e), e);
        } finally {
            listener.finished();
        }
        if (spec.expectedSha256() != null && !spec.expectedSha256().equals(sha)) {
            throw new ChecksumMismatchException(target + " already exists but its sha256 is " + sha + ", not " + spec.expectedSha256()
                    + "; delete it, or pass --force to download it again.");
        }
        return new DownloadResult(target, size, sha, spec.expectedSha256() != null, 0, true, notesAbout(target));
    }

    private record Transfer(long bytes, String sha256, long resumedFrom) {
    }

    /** Brings {@code part} to the full file, resuming what it holds; returns its size and sha256. */
    private Transfer fetch(DownloadSpec spec, Path part, ProgressListener listener) {
        boolean locked = false;
        boolean deletePart = false;
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new DownloadException(part + " is being written by another download; wait for it to finish (or stop it) and try again");
            }
            locked = true;
            Part p = new Part(part, ch);
            try {
                Transfer t = fetchLocked(spec, p, listener);
                ch.force(true);
                return t;
            } catch (ChecksumMismatchException e) {
                deletePart = true;
                throw e;
            } catch (RuntimeException e) {
                deletePart = p.size == 0;
                throw e;
            }
        } catch (IOException e) {
            throw new DownloadException("cannot use " + part + ": " + describe(e), e);
        } finally {
            listener.finished();
            if (locked && deletePart) {
                deleteQuietly(part);
            }
        }
    }

    private Transfer fetchLocked(DownloadSpec spec, Part p, ProgressListener listener) throws IOException {
        long have = p.ch.size();
        Long expected = spec.expectedBytes();
        if (expected != null && have > expected) {
            listener.note(p.path.getFileName() + " is larger than the whole file should be; starting again from the beginning");
            p.reset();
            have = 0;
        }
        if (have > 0) {
            hashPrefix(p.ch, have, p.md, p.path.getFileName().toString(), listener);
            p.size = have;
            p.resumedFrom = have;
        }
        if (expected != null && have == expected && have > 0) {
            String sha = p.peekSha256();
            if (spec.expectedSha256() == null || spec.expectedSha256().equals(sha)) {
                return new Transfer(have, p.sha256(), have);
            }
            listener.note(p.path.getFileName() + " is complete but not the expected file; downloading it again");
            p.reset();
        }
        HttpClient client = newClient();
        try {
            transfer(client, spec, p, listener);
        } finally {
            client.shutdownNow();
        }
        return new Transfer(p.size, p.sha256(), p.resumedFrom);
    }

    private HttpClient newClient() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout());
        if (settings.proxy() != null) {
            b.proxy(settings.proxy());
        }
        return b.build();
    }

    /** Attempts until the file is complete, retrying failures that may pass. */
    private void transfer(HttpClient client, DownloadSpec spec, Part p, ProgressListener listener) {
        int failures = 0;
        int attempts = 0;
        while (true) {
            if (++attempts > 1000) {
                throw new DownloadException("gave up on " + spec.label() + " after 1000 attempts. " + resumeHint(p));
            }
            long before = p.size;
            try {
                if (attempt(client, spec, p, listener)) {
                    return;
                }
            } catch (Transient e) {
                if (p.size > before) {
                    failures = 0;
                }
                failures++;
                if (failures > settings.maxRetries()) {
                    throw new DownloadException(e.getMessage() + "; gave up after " + failures + (failures == 1 ? " attempt. " : " attempts in a row. ")
                            + resumeHint(p));
                }
                Duration wait = e.retryAfter != null ? min(e.retryAfter, settings.maxBackoff()) : backoff(failures);
                listener.retrying(failures, settings.maxRetries(), e.getMessage(), wait);
                try {
                    settings.sleeper().sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new DownloadException("interrupted. " + resumeHint(p));
                }
            }
        }
    }

    private Duration backoff(int failures) {
        Duration d = settings.firstBackoff();
        for (int i = 1; i < failures && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return min(d, settings.maxBackoff());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String resumeHint(Part p) {
        return p.size > 0
                ? Sizes.human(p.size) + " are kept in " + p.path + "; run the same command again to resume."
                : "Run the same command again to retry.";
    }

    /** A failure worth retrying. */
    private static final class Transient extends Exception {
        final Duration retryAfter;

        Transient(String message) {
            this(message, null);
        }

        Transient(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** The answer to one request, after redirects. */
    private record Answer(HttpResponse<InputStream> response, URI uri, boolean tokenSent) {
    }

    /**
     * One request for the rest of the file.
     *
     * @return true when the file is complete, false when the part was reset and the next attempt should start at once
     */
    private boolean attempt(HttpClient client, DownloadSpec spec, Part p, ProgressListener listener) throws Transient {
        long have = p.size;
        Answer a = send(client, spec.url(), have);
        HttpResponse<InputStream> r = a.response();
        InputStream body = r.body();
        try {
            int code = r.statusCode();
            long total;
            if (code == 200) {
                if (have > 0) {
                    listener.note(Urls.host(a.uri()) + " does not resume downloads; starting again from the beginning");
                    p.reset();
                }
                total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            } else if (code == 206) {
                ContentRange cr = ContentRange.parse(r.headers().firstValue("Content-Range").orElse(null));
                if (cr == null || cr.start() != have) {
                    listener.note(Urls.host(a.uri()) + " sent another part of the file than the one asked for; starting again from the beginning");
                    p.reset();
                    return false;
                }
                total = cr.total();
            } else if (code == 416) {
                ContentRange cr = ContentRange.parse(r.headers().firstValue("Content-Range").orElse(null));
                if (have > 0 && cr != null && cr.total() == have) {
                    return true;
                }
                if (have == 0) {
                    throw new DownloadException(Urls.display(a.uri()) + " refused the request for the whole file (HTTP 416)");
                }
                listener.note("the server does not accept the partial download " + p.path.getFileName() + "; starting again from the beginning");
                p.reset();
                return false;
            } else if (code == 408 || code == 429 || code >= 500) {
                throw transientFor(code, a);
            } else {
                throw failureFor(code, a, spec);
            }
            String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html")) {
                throw new DownloadException(Urls.display(a.uri()) + " sent a web page, not a file; give the link to the file itself"
                        + " (on Hugging Face a '/resolve/' link, not a '/blob/' one)");
            }
            Long expected = spec.expectedBytes();
            if (expected != null && total >= 0 && total != expected) {
                throw new ChecksumMismatchException("the server's " + spec.fileName() + " is " + total + " bytes but should be " + expected
                        + ", so it is not the expected file; nothing more was downloaded and the partial download was deleted. "
                        + mismatchAdvice(spec));
            }
            long known = total >= 0 ? total : expected != null ? expected : -1;
            checkSpace(p, known);
            listener.started(spec.fileName(), p.size, known);
            copy(body, spec, p, known, listener);
            if (known >= 0 && p.size < known) {
                throw new Transient("the connection closed after " + Sizes.human(p.size) + " of " + Sizes.human(known));
            }
            return true;
        } finally {
            closeQuietly(body);
        }
    }

    private void checkSpace(Part p, long total) {
        if (total < 0) {
            return;
        }
        long need = total - p.size;
        try {
            long free = Files.getFileStore(p.path.toAbsolutePath().getParent()).getUsableSpace();
            if (free < need) {
                throw new DownloadException("not enough disk space in " + p.path.toAbsolutePath().getParent() + ": " + Sizes.human(need)
                        + " more are needed and " + Sizes.human(free) + " are free");
            }
        } catch (IOException e) {
            // cannot tell: go ahead, a full disk will be reported by the write
        }
    }

    private void copy(InputStream body, DownloadSpec spec, Part p, long known, ProgressListener listener) throws Transient {
        byte[] buf = new byte[BUFFER];
        Duration stall = settings.stallTimeout();
        try (Watchdog w = new Watchdog(body, stall)) {
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    if (w.fired()) {
                        throw new Transient("no data arrived for " + seconds(stall));
                    }
                    throw new Transient("the connection was lost after " + Sizes.human(p.size) + " (" + describe(e) + ")");
                }
                if (n < 0) {
                    if (w.fired()) {
                        throw new Transient("no data arrived for " + seconds(stall));
                    }
                    return;
                }
                w.touch();
                if (spec.expectedBytes() != null && p.size + n > spec.expectedBytes()) {
                    throw new ChecksumMismatchException("the server sent more than the " + spec.expectedBytes() + " bytes " + spec.fileName()
                            + " should have, so it is not the expected file; the partial download was deleted. " + mismatchAdvice(spec));
                }
                p.append(buf, n);
                listener.transferred(p.size, known);
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Sends a GET (with a Range when resuming) and follows redirects. */
    private Answer send(HttpClient client, URI origin, long from) throws Transient {
        URI uri = origin;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.responseTimeout()).header("User-Agent", USER_AGENT).GET();
            if (from > 0) {
                b.header("Range", "bytes=" + from + "-");
            }
            boolean token = settings.hfToken() != null && Urls.host(uri).equals(Urls.host(origin)) && tokenAllowed(uri);
            if (token) {
                b.header("Authorization", "Bearer " + settings.hfToken());
            }
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpConnectTimeoutException e) {
                throw new Transient("could not connect to " + Urls.host(uri) + " within " + seconds(settings.connectTimeout()));
            } catch (HttpTimeoutException e) {
                throw new Transient(Urls.host(uri) + " did not answer within " + seconds(settings.responseTimeout()));
            } catch (IOException e) {
                if (unresolved(e)) {
                    throw new DownloadException("cannot find the host " + Urls.host(uri) + "; check the address and the network connection");
                }
                if (e instanceof javax.net.ssl.SSLException) {
                    throw new DownloadException("the secure connection to " + Urls.host(uri) + " failed (" + describe(e) + ")");
                }
                throw new Transient("cannot reach " + Urls.host(uri) + " (" + describe(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException("interrupted");
            }
            int code = r.statusCode();
            if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
                return new Answer(r, uri, token);
            }
            closeQuietly(r.body());
            if (hop >= MAX_REDIRECTS) {
                throw new DownloadException(Urls.display(origin) + " redirects more than " + MAX_REDIRECTS + " times");
            }
            URI here = uri;
            String location = r.headers().firstValue("Location")
                    .orElseThrow(() -> new DownloadException(Urls.display(here) + " answered HTTP " + code + " without saying where to go"));
            URI next;
            try {
                next = uri.resolve(location.trim());
            } catch (IllegalArgumentException e) {
                throw new DownloadException(Urls.display(uri) + " redirects to an address that is not valid");
            }
            if (next.getScheme() == null || !(next.getScheme().equalsIgnoreCase("https") || next.getScheme().equalsIgnoreCase("http"))
                    || next.getHost() == null) {
                throw new DownloadException(Urls.display(uri) + " redirects to an address that is not http(s): " + Urls.display(next));
            }
            if (uri.getScheme().equalsIgnoreCase("https") && next.getScheme().equalsIgnoreCase("http")) {
                throw new DownloadException(Urls.display(uri) + " redirects from https to plain http (" + Urls.display(next) + "); refusing");
            }
            uri = next;
        }
    }

    private boolean tokenAllowed(URI uri) {
        String host = Urls.host(uri);
        return settings.tokenDomains().stream().anyMatch(d -> Urls.inDomain(host, d));
    }

    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** The exception for an answer that is neither the file nor a redirect. */
    private RuntimeException failureFor(int code, Answer a, DownloadSpec spec) {
        String why = a.response().headers().firstValue("X-Error-Message").map(ModelDownloader::clean).map(m -> " (" + m + ")").orElse("");
        String where = Urls.display(a.uri());
        if (code == 401 || code == 403) {
            if (a.tokenSent()) {
                return new DownloadException(where + " refused the Hugging Face token in HF_TOKEN (HTTP " + code + ")" + why
                        + "; check that the token is valid and that you have accepted the model's licence on its page");
            }
            return new DownloadException(where + " needs permission (HTTP " + code + ")" + why + "; for a gated Hugging Face model, accept its "
                    + "licence on the model's page and set HF_TOKEN to an access token");
        }
        if (code == 404 || code == 410) {
            return new DownloadException(spec.label() + " was not found at " + where + " (HTTP " + code + ")" + why + "; check the address");
        }
        return new DownloadException(where + " answered HTTP " + code + why);
    }

    private Transient transientFor(int code, Answer a) {
        String why = a.response().headers().firstValue("X-Error-Message").map(ModelDownloader::clean).map(m -> " (" + m + ")").orElse("");
        Duration after = a.response().headers().firstValue("Retry-After").flatMap(ModelDownloader::seconds).orElse(null);
        return new Transient(Urls.host(a.uri()) + " answered HTTP " + code + why, after);
    }

    private static java.util.Optional<Duration> seconds(String header) {
        try {
            long s = Long.parseLong(header.trim());
            return s >= 0 ? java.util.Optional.of(Duration.ofSeconds(s)) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** A server's message, made safe to print: printable characters only, and not too long. */
    private static String clean(String s) {
        String t = s.replaceAll("\\p{Cntrl}", " ").trim();
        return t.length() > 200 ? t.substring(0, 199) + "…" : t;
    }

    /** What a low-level I/O failure was, in a few words. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void hashPrefix(FileChannel ch, long length, MessageDigest md, String file, ProgressListener listener) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        long pos = 0;
        listener.checking(file, 0, length);
        while (pos < length) {
            buf.clear();
            if (length - pos < buf.capacity()) {
                buf.limit((int) (length - pos));
            }
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("the file ended at " + pos + " bytes while being read");
            }
            buf.flip();
            md.update(buf);
            pos += n;
            listener.checking(file, pos, length);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /** Remarks on a finished file: a GGUF file starts with the bytes "GGUF". */
    private static List<String> notesAbout(Path file) {
        List<String> notes = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
                notes.add(file.getFileName() + " does not start with the GGUF signature, so it is probably not a GGUF model");
            }
        } catch (IOException e) {
            notes.add("cannot read " + file + " back: " + describe(e));
        }
        return notes;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be synced; the rename itself is already done
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing better to do; the message already says what happened
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // the connection is of no further use either way
        }
    }

    /** The partial file: its channel, the sha256 of what it holds, and its size. */
    private static final class Part {
        final Path path;
        final FileChannel ch;
        final MessageDigest md = newSha256();
        long size;
        long resumedFrom;

        Part(Path path, FileChannel ch) {
            this.path = path;
            this.ch = ch;
        }

        void reset() {
            try {
                ch.truncate(0);
            } catch (IOException e) {
                throw new DownloadException("cannot empty " + path + ": " + describe(e), e);
            }
            md.reset();
            size = 0;
            resumedFrom = 0;
        }

        void append(byte[] b, int n) {
            ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
            long pos = size;
            try {
                while (bb.hasRemaining()) {
                    pos += ch.write(bb, pos);
                }
            } catch (IOException e) {
                throw new DownloadException("cannot write to " + path + ": " + describe(e), e);
            }
            md.update(b, 0, n);
            size += n;
        }

        String peekSha256() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) md.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digest cannot be copied", e);
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(md.digest());
        }
    }

    /** An HTTP {@code Content-Range} header: {@code bytes START-END/TOTAL} or {@code bytes *}{@code /TOTAL}; -1 for an unknown part. */
    record ContentRange(long start, long end, long total) {
        private static final Pattern FORM = Pattern.compile("(?i)\\s*bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)\\s*");

        static ContentRange parse(String header) {
            if (header == null) {
                return null;
            }
            Matcher m = FORM.matcher(header);
            if (!m.matches()) {
                return null;
            }
            try {
                long start = m.group(1) == null ? -1 : Long.parseLong(m.group(1));
                long end = m.group(2) == null ? -1 : Long.parseLong(m.group(2));
                long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                return new ContentRange(start, end, total);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** Closes a stream that has sent nothing for too long, which makes the blocked read fail. */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;
        private volatile long last = System.nanoTime();
        private volatile boolean fired;
        private volatile boolean closed;

        Watchdog(Closeable target, Duration timeout) {
            long limit = timeout.toNanos();
            long tick = Math.max(5, Math.min(1000, timeout.toMillis() / 4));
            thread = Thread.ofVirtual().name("coach-download-watchdog").start(() -> {
                while (!closed) {
                    try {
                        Thread.sleep(tick);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!closed && System.nanoTime() - last > limit) {
                        fired = true;
                        closeQuietly(target);
                        return;
                    }
                }
            });
        }

        void touch() {
            last = System.nanoTime();
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }
}
