package dev.coach.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP client coach gives LangChain4j's OpenAI and Ollama models: connect and read timeouts, and retries
 * with exponential backoff on 429 and 5xx that honour the server's Retry-After (seconds or an HTTP date).
 * Errors carry the status and the server's message, never the request headers (where the API key is).
 */
public final class RetryingHttpClient implements HttpClient {
    /** Waits between attempts; tests pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** How retries are paced. */
    public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxWait) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Duration connectTimeout;

    public RetryingHttpClient(Duration connectTimeout, Duration readTimeout, RetryPolicy policy, Sleeper sleeper) {
        this.connectTimeout = connectTimeout;
        this.client = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).version(Version.HTTP_1_1).build();
        this.readTimeout = readTimeout;
        this.policy = policy;
        this.sleeper = sleeper;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        int attempt = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                response = client.send(toJdk(request), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                if (attempt < policy.maxRetries()) {
                    pause(backoff(attempt++));
                    continue;
                }
                throw new TimeoutException("no answer from " + host(request) + " within " + readTimeout.toSeconds() + " s (after "
                        + (attempt + 1) + " attempts)");
            } catch (IOException e) {
                if (attempt < policy.maxRetries()) {
                    pause(backoff(attempt++));
                    continue;
                }
                throw new HttpException(0, "cannot reach " + host(request) + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpException(0, "interrupted while calling " + host(request));
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map()).body(response.body()).build();
            }
            boolean retriable = status == 429 || status >= 500;
            if (retriable && attempt < policy.maxRetries()) {
                Duration wait = retryAfter(response.headers().map()).orElse(backoff(attempt));
                attempt++;
                pause(wait.compareTo(policy.maxWait()) > 0 ? policy.maxWait() : wait);
                continue;
            }
            throw new HttpException(status, "HTTP " + status + " from " + host(request) + (retriable ? " after " + (attempt + 1) + " attempts" : "")
                    + ": " + abbreviate(response.body()));
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpClient streaming = HttpClientBuilderLoader.loadHttpClientBuilder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
        streaming.execute(request, parser, listener);
    }

    private java.net.http.HttpRequest toJdk(HttpRequest r) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(r.url())).timeout(readTimeout);
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            for (String v : h.getValue()) {
                b.header(h.getKey(), v);
            }
        }
        java.net.http.HttpRequest.BodyPublisher body = r.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(r.body());
        b.method(r.method().name(), body);
        return b.build();
    }

    private Duration backoff(int attempt) {
        long ms = policy.initialBackoff().toMillis() << Math.min(attempt, 10);
        return Duration.ofMillis(Math.min(ms, policy.maxWait().toMillis()));
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpException(0, "interrupted while waiting to retry");
        }
    }

    /** Retry-After as delta-seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase("retry-after") && !h.getValue().isEmpty()) {
                String v = h.getValue().getFirst().strip();
                try {
                    return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
                } catch (NumberFormatException e) {
                    try {
                        ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                        Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                        return Optional.of(d.isNegative() ? Duration.ZERO : d);
                    } catch (RuntimeException ignored) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String host(HttpRequest r) {
        try {
            URI u = URI.create(r.url());
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (RuntimeException e) {
            return "the server";
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String b = body.replaceAll("\\s+", " ").strip();
        return b.length() > 300 ? b.substring(0, 300) + "…" : b;
    }
}
