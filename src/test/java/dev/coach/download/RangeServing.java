package dev.coach.download;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock response transformer (name {@value #NAME}) that makes a stub whose body is a whole file answer Range
 * requests the way a file server does: {@code bytes=N-} gets 206 with the rest and a Content-Range header, a start
 * past the end gets 416, and no Range gets the whole file with 200, always with a Content-Length. Also the test files
 * themselves.
 */
public final class RangeServing implements ResponseTransformerV2 {
    public static final String NAME = "ranges";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String range = serveEvent.getRequest().getHeader("Range");
        byte[] all = response.getBody();
        if (range == null) {
            return Response.Builder.like(response).but().headers(length(response.getHeaders(), all.length)).build();
        }
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            return Response.Builder.like(response).but().status(400).body("bad range").build();
        }
        int from = Integer.parseInt(m.group(1));
        if (from >= all.length) {
            return Response.Builder.like(response).but().status(416)
                    .headers(response.getHeaders().plus(new HttpHeader("Content-Range", "bytes */" + all.length))).body(new byte[0]).build();
        }
        return Response.Builder.like(response).but().status(206)
                .headers(length(response.getHeaders(), all.length - from)
                        .plus(new HttpHeader("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length)))
                .body(Arrays.copyOfRange(all, from, all.length)).build();
    }

    /** The headers with Content-Length set, as a file server sends it (WireMock itself would answer chunked). */
    private static HttpHeaders length(HttpHeaders headers, long n) {
        List<HttpHeader> kept = headers.all().stream().filter(h -> !h.keyEquals("Content-Length")).toList();
        return new HttpHeaders(kept).plus(new HttpHeader("Content-Length", String.valueOf(n)));
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** A pseudo-random "model" of {@code n} bytes that starts with the GGUF signature. */
    public static byte[] model(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 'G';
        b[1] = 'G';
        b[2] = 'U';
        b[3] = 'F';
        return b;
    }

    /** The JDK's SHA-256 of the bytes, as lower-case hex. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
