package dev.coach.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy conventions of curl and most command-line tools: {@code HTTPS_PROXY} for https addresses, {@code HTTP_PROXY}
 * for http ones (lower-case names too), and {@code NO_PROXY} listing hosts or domains to reach directly ({@code *} for all).
 * A proxy that needs a user name and password is not supported.
 */
final class EnvironmentProxy extends ProxySelector {
    private final InetSocketAddress https;
    private final InetSocketAddress http;
    private final List<String> direct;

    EnvironmentProxy(InetSocketAddress https, InetSocketAddress http, List<String> direct) {
        this.https = https;
        this.http = http;
        this.direct = List.copyOf(direct);
    }

    /** A selector for the environment's proxy settings, or null when none is set. */
    static ProxySelector fromEnvironment(Map<String, String> env) {
        InetSocketAddress https = address(first(env, "HTTPS_PROXY", "https_proxy"));
        InetSocketAddress http = address(first(env, "HTTP_PROXY", "http_proxy"));
        if (https == null && http == null) {
            return null;
        }
        List<String> direct = new ArrayList<>();
        String no = first(env, "NO_PROXY", "no_proxy");
        if (no != null) {
            for (String s : no.split(",")) {
                String t = s.trim().toLowerCase(Locale.ROOT);
                if (t.startsWith("*.")) {
                    t = t.substring(2);
                } else if (t.startsWith(".")) {
                    t = t.substring(1);
                }
                if (!t.isEmpty()) {
                    direct.add(t);
                }
            }
        }
        return new EnvironmentProxy(https, http, direct);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** {@code http://host:port}, {@code host:port} or {@code host} (port 80); null when it cannot be read. */
    static InetSocketAddress address(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI u = URI.create(value.contains("://") ? value : "http://" + value);
            if (u.getHost() == null) {
                return null;
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return InetSocketAddress.createUnresolved(u.getHost(), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = Urls.host(uri);
        for (String d : direct) {
            if (d.equals("*") || Urls.inDomain(host, d)) {
                return List.of(Proxy.NO_PROXY);
            }
        }
        InetSocketAddress p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        return List.of(p == null ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, p));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // nothing to remember: the downloader reports and retries
    }
}
