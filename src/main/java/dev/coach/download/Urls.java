package dev.coach.download;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Small helpers for the addresses the downloader deals with. */
final class Urls {
    private Urls() {
    }

    /**
     * An address as it may be shown to the user: scheme, host, port and path only. Query strings are dropped because
     * signed CDN links carry credentials there, and any user name or password in the address is dropped too.
     */
    static String display(URI u) {
        if (u == null) {
            return "(no address)";
        }
        if (u.getHost() == null) {
            return u.getScheme() == null ? "(an address without a host)" : u.getScheme() + ":(an address without a host)";
        }
        return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    /** The host in lower case, or "" when there is none. */
    static String host(URI u) {
        return u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
    }

    /** True when {@code host} is {@code domain} or one of its sub-domains. */
    static boolean inDomain(String host, String domain) {
        String h = host.toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        return h.equals(d) || h.endsWith("." + d);
    }

    /** {@code https://huggingface.co/OWNER/REPO/blob/REV/FILE} (a web page) as {@code .../resolve/REV/FILE} (the file). */
    static URI huggingFaceFileLink(URI u) {
        String path = u.getRawPath();
        if (!inDomain(host(u), "huggingface.co") || path == null) {
            return u;
        }
        String[] parts = path.split("/", -1);
        // "", owner, repo, "blob", revision, file...
        if (parts.length >= 6 && parts[3].equals("blob")) {
            parts[3] = "resolve";
            try {
                return new URI(u.getScheme() + "://" + u.getRawAuthority() + String.join("/", parts)
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            } catch (URISyntaxException e) {
                return u;
            }
        }
        return u;
    }
}
