package dev.coach.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;

import java.time.Duration;

/** Builds {@link RetryingHttpClient}s for LangChain4j model builders. */
public final class RetryingHttpClientBuilder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(120);
    private final RetryingHttpClient.RetryPolicy policy;
    private final RetryingHttpClient.Sleeper sleeper;

    public RetryingHttpClientBuilder(RetryingHttpClient.RetryPolicy policy, RetryingHttpClient.Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    public static RetryingHttpClientBuilder standard() {
        return new RetryingHttpClientBuilder(RetryingHttpClient.RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis()));
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        if (timeout != null) {
            this.connectTimeout = timeout;
        }
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        if (timeout != null) {
            this.readTimeout = timeout;
        }
        return this;
    }

    @Override
    public HttpClient build() {
        return new RetryingHttpClient(connectTimeout, readTimeout, policy, sleeper);
    }
}
