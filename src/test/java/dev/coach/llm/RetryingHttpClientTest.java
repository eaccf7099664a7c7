package dev.coach.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryingHttpClientTest {
    @Test
    void retryAfterInSeconds() {
        assertEquals(Duration.ofSeconds(7), RetryingHttpClient.retryAfter(Map.of("Retry-After", List.of("7"))).orElseThrow());
        assertEquals(Duration.ofMillis(1500), RetryingHttpClient.retryAfter(Map.of("retry-after", List.of("1.5"))).orElseThrow());
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String when = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        Duration d = RetryingHttpClient.retryAfter(Map.of("Retry-After", List.of(when))).orElseThrow();
        assertTrue(d.toSeconds() >= 28 && d.toSeconds() <= 30, d.toString());
    }

    @Test
    void garbageRetryAfterIsIgnored() {
        assertTrue(RetryingHttpClient.retryAfter(Map.of("Retry-After", List.of("soon"))).isEmpty());
    }
}
