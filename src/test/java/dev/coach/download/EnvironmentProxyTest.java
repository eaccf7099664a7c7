package dev.coach.download;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnvironmentProxyTest {

    static Proxy proxy(String host, int port) {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    @Test
    void httpsAndHttpProxiesAreChosenByScheme() {
        ProxySelector p = EnvironmentProxy.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "http_proxy", "plain.corp"));
        assertEquals(List.of(proxy("proxy.corp", 3128)), p.select(URI.create("https://huggingface.co/x")));
        assertEquals(List.of(proxy("plain.corp", 80)), p.select(URI.create("http://example.org/x")));
    }

    @Test
    void noProxyListsHostsAndDomainsReachedDirectly() {
        ProxySelector p = EnvironmentProxy.fromEnvironment(Map.of("https_proxy", "proxy.corp:8080", "NO_PROXY", "localhost, .internal.org,*.hf.co"));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://localhost/x")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://a.internal.org/x")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("https://cas-bridge.xethub.hf.co/x")));
        assertEquals(List.of(proxy("proxy.corp", 8080)), p.select(URI.create("https://huggingface.co/x")));
        assertEquals(List.of(Proxy.NO_PROXY), p.select(URI.create("http://example.org/x")), "no http proxy was set");
        ProxySelector all = EnvironmentProxy.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.corp:8080", "no_proxy", "*"));
        assertEquals(List.of(Proxy.NO_PROXY), all.select(URI.create("https://huggingface.co/x")));
    }

    @Test
    void withoutProxyVariablesTheConnectionIsDirect() {
        assertNull(EnvironmentProxy.fromEnvironment(Map.of("NO_PROXY", "localhost")));
        assertNull(DownloadSettings.defaults(Map.of()).proxy());
    }

    @Test
    void settingsNeverShowTheToken() {
        DownloadSettings s = DownloadSettings.defaults(Map.of("HF_TOKEN", "hf_very_secret"));
        assertEquals("hf_very_secret", s.hfToken());
        assertEquals(-1, s.toString().indexOf("hf_very_secret"), s.toString());
    }
}
