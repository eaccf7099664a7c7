package dev.coach.download;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the downloader behaves: timeouts, retries, the Hugging Face token and the proxy.
 *
 * @param connectTimeout  how long to wait for a connection
 * @param responseTimeout how long to wait for the response headers (Java's HTTP client stops this timer once they arrive,
 *                        so it never cuts a long body short; a body that stops coming is {@code stallTimeout}'s business)
 * @param stallTimeout    how long the body may send nothing before the connection is dropped and the download resumed
 * @param maxRetries      how many failed attempts in a row (without any new bytes) are retried before giving up
 * @param firstBackoff    the wait before the first retry; it doubles for each further failure
 * @param maxBackoff      the longest wait between attempts
 * @param hfToken         the Hugging Face token, or null; sent as a bearer token to {@code tokenDomains} only
 * @param tokenDomains    hosts (and their sub-domains) that may receive the token; a redirect to another host drops it
 * @param proxy           the proxy to use, or null for a direct connection
 * @param sleeper         how to wait between attempts (tests pass one that records instead of sleeping)
 */
public record DownloadSettings(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout, int maxRetries,
                               Duration firstBackoff, Duration maxBackoff, String hfToken, List<String> tokenDomains,
                               ProxySelector proxy, Sleeper sleeper) {
    public static final List<String> HUGGING_FACE_DOMAINS = List.of("huggingface.co", "hf.co");

    /** Waits between attempts. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public DownloadSettings {
        tokenDomains = List.copyOf(tokenDomains);
        if (hfToken != null && hfToken.isBlank()) {
            hfToken = null;
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries cannot be negative");
        }
    }

    /** The defaults, with the token from {@code HF_TOKEN} and the proxy from {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY}. */
    public static DownloadSettings defaults(Map<String, String> env) {
        return new DownloadSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60), 5,
                Duration.ofSeconds(1), Duration.ofSeconds(30), env.get("HF_TOKEN"), HUGGING_FACE_DOMAINS,
                EnvironmentProxy.fromEnvironment(env), d -> Thread.sleep(d.toMillis()));
    }

    public DownloadSettings withTimeouts(Duration connect, Duration response, Duration stall) {
        return new DownloadSettings(connect, response, stall, maxRetries, firstBackoff, maxBackoff, hfToken, tokenDomains, proxy, sleeper);
    }

    public DownloadSettings withRetries(int max, Duration first, Duration longest) {
        return new DownloadSettings(connectTimeout, responseTimeout, stallTimeout, max, first, longest, hfToken, tokenDomains, proxy, sleeper);
    }

    public DownloadSettings withToken(String token, List<String> domains) {
        return new DownloadSettings(connectTimeout, responseTimeout, stallTimeout, maxRetries, firstBackoff, maxBackoff, token, domains, proxy,
                sleeper);
    }

    public DownloadSettings withProxy(ProxySelector p) {
        return new DownloadSettings(connectTimeout, responseTimeout, stallTimeout, maxRetries, firstBackoff, maxBackoff, hfToken, tokenDomains, p,
                sleeper);
    }

    public DownloadSettings withSleeper(Sleeper s) {
        return new DownloadSettings(connectTimeout, responseTimeout, stallTimeout, maxRetries, firstBackoff, maxBackoff, hfToken, tokenDomains,
                proxy, s);
    }

    /** Never shows the token itself, only whether there is one. */
    @Override
    public String toString() {
        return "DownloadSettings[connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + ", stallTimeout=" + stallTimeout
                + ", maxRetries=" + maxRetries + ", firstBackoff=" + firstBackoff + ", maxBackoff=" + maxBackoff
                + ", hfToken=" + (hfToken == null ? "none" : "set") + ", tokenDomains=" + tokenDomains + ", proxy=" + (proxy == null ? "none" : "set") + "]";
    }
}
