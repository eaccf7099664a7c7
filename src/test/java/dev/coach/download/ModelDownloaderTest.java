package dev.coach.download;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The downloader against WireMock: full, resumed, restarted, dropped, redirected, refused and mismatching downloads. */
class ModelDownloaderTest {
    static final int SIZE = 300_000;

    WireMockServer wm;
    @TempDir
    Path dir;
    final List<Duration> sleeps = new ArrayList<>();
    final Recorder progress = new Recorder();
    final byte[] data = RangeServing.model(SIZE, 42);

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().dynamicPort().extensions(new RangeServing()));
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    /** Records what the downloader reports. */
    static final class Recorder implements ProgressListener {
        final List<String> notes = new ArrayList<>();
        final List<String> retries = new ArrayList<>();
        final List<Long> starts = new ArrayList<>();
        long lastDone = -1;
        int finished;

        @Override
        public void started(String file, long from, long total) {
            starts.add(from);
        }

        @Override
        public void transferred(long done, long total) {
            lastDone = done;
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }

        @Override
        public void retrying(int failure, int maxFailures, String reason, Duration wait) {
            retries.add(failure + "/" + maxFailures + " " + reason);
        }

        @Override
        public void finished() {
            finished++;
        }
    }

    DownloadSettings settings() {
        return DownloadSettings.defaults(Map.of()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(4)).withSleeper(sleeps::add);
    }

    ModelDownloader downloader() {
        return new ModelDownloader(settings());
    }

    DownloadSpec spec(String path) {
        return new DownloadSpec("m", URI.create(wm.baseUrl() + path), "m.gguf", (long) data.length, RangeServing.sha256(data));
    }

    void serve(String path) {
        wm.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
    }

    Path target() {
        return dir.resolve("m.gguf");
    }

    Path part() {
        return dir.resolve("m.gguf.part");
    }

    List<LoggedRequest> requests() {
        return wm.getAllServeEvents().stream().sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(ServeEvent::getRequest).toList();
    }

    @Test
    void aFullDownloadIsVerifiedAndRenamed() throws Exception {
        serve("/m.gguf");
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertFalse(Files.exists(part()), "the .part file is renamed away");
        assertTrue(r.verified());
        assertFalse(r.alreadyPresent());
        assertEquals(0, r.resumedFrom());
        assertEquals(SIZE, r.bytes());
        assertEquals(RangeServing.sha256(data), r.sha256());
        assertEquals(target(), r.path());
        assertEquals(List.of(), r.notes());
        assertEquals(1, requests().size());
        assertNull(requests().getFirst().getHeader("Range"), "a fresh download asks for the whole file");
        assertTrue(requests().getFirst().getHeader("User-Agent").startsWith("coach/"));
        assertEquals(SIZE, progress.lastDone);
        assertEquals(1, progress.finished);
    }

    @Test
    void aPartialFileIsResumedWithARangeRequest() throws Exception {
        Files.write(part(), Arrays.copyOf(data, 100_000));
        wm.stubFor(get("/m.gguf").withHeader("Range", equalTo("bytes=100000-"))
                .willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()), "the resumed file is byte-identical");
        assertEquals(100_000, r.resumedFrom());
        assertTrue(r.verified());
        assertEquals(1, requests().size());
        wm.verify(1, getRequestedFor(urlEqualTo("/m.gguf")).withHeader("Range", equalTo("bytes=100000-")));
        assertEquals(List.of(100_000L), progress.starts);
    }

    @Test
    void aServerThatIgnoresRangeMakesTheDownloadStartAgain() throws Exception {
        byte[] stale = RangeServing.model(100_000, 7);   // not a prefix of the file: appending to it would fail the checksum
        Files.write(part(), stale);
        wm.stubFor(get("/m.gguf").willReturn(aResponse().withStatus(200).withBody(data)));
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(0, r.resumedFrom(), "nothing of the old part was kept");
        assertEquals("bytes=100000-", requests().getFirst().getHeader("Range"));
        assertTrue(progress.notes.stream().anyMatch(n -> n.contains("does not resume downloads; starting again")), progress.notes.toString());
    }

    @Test
    void aConnectionDroppedMidBodyIsRetriedFromWhereItStopped() throws Exception {
        wm.stubFor(get("/m.gguf").inScenario("drop").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("dropped")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Length", String.valueOf(SIZE))
                        .withBody(Arrays.copyOf(data, 120_000))));
        wm.stubFor(get("/m.gguf").inScenario("drop").whenScenarioStateIs("dropped")
                .willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        List<LoggedRequest> reqs = requests();
        assertEquals(2, reqs.size());
        assertNull(reqs.get(0).getHeader("Range"));
        String range = reqs.get(1).getHeader("Range");
        assertTrue(range != null && range.matches("bytes=\\d+-"), "the retry resumes: " + range);
        long from = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(from > 0 && from <= 120_000, range);
        assertEquals(List.of(0L, from), progress.starts);
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
        assertEquals(1, progress.retries.size());
        assertTrue(progress.retries.getFirst().startsWith("1/3 the connection"), progress.retries.toString());
        assertEquals(0, r.resumedFrom(), "resumed_from counts only what an earlier run left");
    }

    @Test
    void connectionResetsBeforeAnyByteAreRetried() throws Exception {
        // Java's HTTP client may itself repeat a GET once after a reset, so three resets in a row reach the retry loop
        wm.stubFor(get("/m.gguf").inScenario("reset").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("2")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(get("/m.gguf").inScenario("reset").whenScenarioStateIs("2").willSetStateTo("3")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(get("/m.gguf").inScenario("reset").whenScenarioStateIs("3").willSetStateTo("ok")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(get("/m.gguf").inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
        downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(4, requests().size());
        assertFalse(sleeps.isEmpty(), "the downloader's own retry was needed");
        assertTrue(progress.retries.getFirst().contains("cannot reach localhost"), progress.retries.toString());
    }

    @Test
    void serverErrorsAreRetriedWithADoublingWaitThenGivenUp() throws Exception {
        wm.stubFor(get("/m.gguf").inScenario("5xx").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("again")
                .willReturn(aResponse().withStatus(503)));
        wm.stubFor(get("/m.gguf").inScenario("5xx").whenScenarioStateIs("again").willSetStateTo("ok")
                .willReturn(aResponse().withStatus(502)));
        wm.stubFor(get("/m.gguf").inScenario("5xx").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
        downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        assertTrue(progress.retries.get(0).contains("HTTP 503") && progress.retries.get(1).contains("HTTP 502"), progress.retries.toString());

        wm.resetAll();
        sleeps.clear();
        wm.stubFor(get("/down.gguf").willReturn(aResponse().withStatus(500)));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/down.gguf"), dir, true, progress));
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), sleeps);
        assertEquals(4, requests().size());
    }

    @Test
    void retryAfterIsHonouredUpToTheLongestWait() throws Exception {
        wm.stubFor(get("/m.gguf").inScenario("429").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        wm.stubFor(get("/m.gguf").inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(data)));
        downloader().download(spec("/m.gguf"), dir, false, progress);
        assertEquals(List.of(Duration.ofSeconds(4)), sleeps);
    }

    @Test
    void aStalledTransferIsDroppedAndResumed() throws Exception {
        ModelDownloader impatient = new ModelDownloader(settings().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300)));
        wm.stubFor(get("/m.gguf").inScenario("stall").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(200).withBody(data).withChunkedDribbleDelay(3, 1500)));
        wm.stubFor(get("/m.gguf").inScenario("stall").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(data).withTransformers(RangeServing.NAME)));
        impatient.download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertTrue(progress.retries.getFirst().contains("no data arrived for 300 ms"), progress.retries.toString());
        assertEquals(2, requests().size());
        assertTrue(requests().get(1).getHeader("Range").startsWith("bytes="), "the second attempt resumes");
    }

    @Test
    void redirectsAreFollowedAndTheTokenStaysWithItsHost() throws Exception {
        Files.write(part(), Arrays.copyOf(data, 50_000));
        String cdn = "http://127.0.0.1:" + wm.port() + "/cdn/blob?sig=secret-signature";
        wm.stubFor(get("/repo/resolve/main/m.gguf").willReturn(aResponse().withStatus(302).withHeader("Location", cdn)));
        serve("/cdn/blob");
        ModelDownloader d = new ModelDownloader(settings().withToken("hf_test_token", List.of("localhost", "127.0.0.1")));
        DownloadResult r = d.download(spec("/repo/resolve/main/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(50_000, r.resumedFrom());
        List<LoggedRequest> reqs = requests();
        assertEquals(2, reqs.size());
        assertEquals("/repo/resolve/main/m.gguf", reqs.get(0).getUrl());
        assertEquals("Bearer hf_test_token", reqs.get(0).getHeader("Authorization"));
        assertEquals("/cdn/blob?sig=secret-signature", reqs.get(1).getUrl());
        assertNull(reqs.get(1).getHeader("Authorization"), "the token is not sent to the host the redirect points at");
        assertEquals("bytes=50000-", reqs.get(0).getHeader("Range"));
        assertEquals("bytes=50000-", reqs.get(1).getHeader("Range"), "the range survives the redirect");
    }

    @Test
    void theTokenGoesOnlyToItsDomains() throws Exception {
        serve("/m.gguf");
        new ModelDownloader(settings().withToken("hf_test_token", List.of("huggingface.co"))).download(spec("/m.gguf"), dir, false, progress);
        assertNull(requests().getFirst().getHeader("Authorization"), "localhost is not huggingface.co");
    }

    @Test
    void aMissingFileIsNamedAndLeavesNothingBehind() {
        wm.stubFor(get("/missing.gguf").willReturn(aResponse().withStatus(404).withHeader("X-Error-Message", "Entry not found")));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/missing.gguf"), dir, false, progress));
        assertTrue(e.getMessage().contains("m was not found at " + wm.baseUrl() + "/missing.gguf (HTTP 404) (Entry not found)"), e.getMessage());
        assertFalse(Files.exists(part()), "an empty .part file is removed");
        assertFalse(Files.exists(target()));
        assertEquals(1, requests().size(), "a 404 is not retried");
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aGatedModelSaysWhatToDo() {
        wm.stubFor(get("/gated.gguf").willReturn(aResponse().withStatus(401)));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/gated.gguf"), dir, false, progress));
        assertTrue(e.getMessage().contains("needs permission (HTTP 401)") && e.getMessage().contains("set HF_TOKEN"), e.getMessage());
    }

    @Test
    void aWebPageIsNotSavedAsAModel() {
        wm.stubFor(get("/page").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=utf-8").withBody("<html>")));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/page"), dir, false, progress));
        assertTrue(e.getMessage().contains("sent a web page, not a file"), e.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void aChecksumMismatchDeletesThePartFile() {
        serve("/m.gguf");
        byte[] other = RangeServing.model(SIZE, 43);
        DownloadSpec wrong = new DownloadSpec("m", URI.create(wm.baseUrl() + "/m.gguf"), "m.gguf", (long) SIZE, RangeServing.sha256(other));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> downloader().download(wrong, dir, false, progress));
        assertTrue(e.getMessage().contains("has sha256 " + RangeServing.sha256(data) + " but should have " + RangeServing.sha256(other)), e.getMessage());
        assertTrue(e.getMessage().contains("the partial download was deleted"), e.getMessage());
        assertFalse(Files.exists(part()));
        assertFalse(Files.exists(target()));
    }

    @Test
    void aServerFileOfTheWrongSizeIsRefusedBeforeItIsDownloaded() {
        serve("/m.gguf");
        DownloadSpec bigger = new DownloadSpec("m", URI.create(wm.baseUrl() + "/m.gguf"), "m.gguf", SIZE + 10L, RangeServing.sha256(data));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> downloader().download(bigger, dir, false, progress));
        assertTrue(e.getMessage().contains("is " + SIZE + " bytes but should be " + (SIZE + 10)), e.getMessage());
        assertFalse(Files.exists(part()));
        assertEquals(1, requests().size(), requests().toString());
    }

    @Test
    void aCompleteFileIsNotFetchedAgain() throws Exception {
        Files.write(target(), data);
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertTrue(r.alreadyPresent() && r.verified());
        assertEquals(RangeServing.sha256(data), r.sha256());
        assertEquals(0, wm.getAllServeEvents().size(), "no request at all");

        byte[] other = RangeServing.model(SIZE, 44);
        Files.write(target(), other);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> downloader().download(spec("/m.gguf"), dir, false, progress));
        assertTrue(e.getMessage().contains("already exists but its sha256 is " + RangeServing.sha256(other)) && e.getMessage().contains("--force"),
                e.getMessage());
        assertArrayEquals(other, Files.readAllBytes(target()), "an existing file is never deleted");
        assertEquals(0, wm.getAllServeEvents().size());

        serve("/m.gguf");
        DownloadResult forced = downloader().download(spec("/m.gguf"), dir, true, progress);
        assertFalse(forced.alreadyPresent());
        assertArrayEquals(data, Files.readAllBytes(target()), "--force replaces it with the verified download");
    }

    @Test
    void aCompletePartFileIsCheckedWithoutTheNetwork() throws Exception {
        Files.write(part(), data);
        DownloadResult r = downloader().download(spec("/m.gguf"), dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(SIZE, r.resumedFrom());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void aFinishedPartFileIsRecognisedFromA416WhenTheSizeIsUnknown() throws Exception {
        Files.write(part(), data);
        serve("/m.gguf");
        DownloadSpec noSize = new DownloadSpec("m", URI.create(wm.baseUrl() + "/m.gguf"), "m.gguf", null, RangeServing.sha256(data));
        DownloadResult r = downloader().download(noSize, dir, false, progress);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertTrue(r.verified());
        assertEquals(SIZE, r.resumedFrom());
        assertEquals("bytes=" + SIZE + "-", requests().getFirst().getHeader("Range"));
    }

    @Test
    void withoutAChecksumTheFileIsKeptButNotVerified() throws Exception {
        byte[] notGguf = "plain text, not a model".getBytes();
        wm.stubFor(get(urlPathEqualTo("/notes.txt")).willReturn(aResponse().withStatus(200).withBody(notGguf)));
        DownloadSpec url = DownloadSpec.forUrl(wm.baseUrl() + "/notes.txt?download=true", null);
        DownloadResult r = downloader().download(url, dir, false, progress);
        assertFalse(r.verified());
        assertEquals(RangeServing.sha256(notGguf), r.sha256());
        assertArrayEquals(notGguf, Files.readAllBytes(dir.resolve("notes.txt")));
        assertEquals(1, r.notes().size());
        assertTrue(r.notes().getFirst().contains("does not start with the GGUF signature"), r.notes().toString());
    }

    @Test
    void aRedirectToAnotherKindOfAddressIsRefused() {
        wm.stubFor(get("/hop").willReturn(aResponse().withStatus(302).withHeader("Location", "ftp://example.invalid/m.gguf")));
        DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/hop"), dir, false, progress));
        assertTrue(e.getMessage().contains("redirects to an address that is not http(s)"), e.getMessage());
    }

    @Test
    void aPartFileInUseByAnotherDownloadIsLeftAlone() throws Exception {
        serve("/m.gguf");
        Files.write(part(), Arrays.copyOf(data, 1000));
        try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(part(), java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = other.lock()) {
            DownloadException e = assertThrows(DownloadException.class, () -> downloader().download(spec("/m.gguf"), dir, false, progress));
            assertTrue(e.getMessage().contains("is being written by another download"), e.getMessage());
        }
        assertEquals(1000, Files.size(part()), "the other download's bytes are untouched");
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void contentRangeHeadersAreRead() {
        assertEquals(new ModelDownloader.ContentRange(100, 299, 300), ModelDownloader.ContentRange.parse("bytes 100-299/300"));
        assertEquals(new ModelDownloader.ContentRange(-1, -1, 300), ModelDownloader.ContentRange.parse("bytes */300"));
        assertEquals(new ModelDownloader.ContentRange(0, 9, -1), ModelDownloader.ContentRange.parse("Bytes 0-9/*"));
        assertNull(ModelDownloader.ContentRange.parse("items 0-9/10"));
        assertNull(ModelDownloader.ContentRange.parse(null));
    }
}
