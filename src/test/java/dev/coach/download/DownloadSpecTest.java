package dev.coach.download;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloadSpecTest {

    @Test
    void aUrlIsSavedUnderTheLastSegmentOfItsPath() {
        DownloadSpec s = DownloadSpec.forUrl("https://example.org/models/tiny-q8_0.gguf?download=true", null);
        assertEquals("tiny-q8_0.gguf", s.fileName());
        assertEquals("tiny-q8_0.gguf", s.label());
        assertNull(s.expectedBytes());
        assertNull(s.expectedSha256());
        assertEquals("model+v2.gguf", DownloadSpec.forUrl("https://example.org/model%2Bv2.gguf", null).fileName());
        assertEquals("model+v2.gguf", DownloadSpec.forUrl("https://example.org/model+v2.gguf", null).fileName());
    }

    @Test
    void aHuggingFacePageLinkBecomesTheFileLink() {
        DownloadSpec s = DownloadSpec.forUrl("https://huggingface.co/Org/Repo-GGUF/blob/main/sub/m.gguf", null);
        assertEquals(URI.create("https://huggingface.co/Org/Repo-GGUF/resolve/main/sub/m.gguf"), s.url());
        assertEquals("m.gguf", s.fileName());
        DownloadSpec other = DownloadSpec.forUrl("https://example.org/Org/Repo/blob/main/m.gguf", null);
        assertEquals(URI.create("https://example.org/Org/Repo/blob/main/m.gguf"), other.url(), "only Hugging Face links are rewritten");
    }

    @Test
    void checksumsAreNormalisedAndCheckedForShape() {
        String hex = "AB".repeat(32);
        assertEquals("ab".repeat(32), DownloadSpec.forUrl("https://example.org/m.gguf", hex).expectedSha256());
        assertEquals("ab".repeat(32), DownloadSpec.normaliseSha256(" sha256:" + hex + " "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DownloadSpec.forUrl("https://example.org/m.gguf", "abc"));
        assertEquals("--sha256 must be 64 hex digits, not 'abc'", e.getMessage());
    }

    @Test
    void unusableAddressesAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DownloadSpec.forUrl("ftp://example.org/m.gguf", null)).getMessage()
                .contains("is not an http:// or https:// address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DownloadSpec.forUrl("https://example.org/", null)).getMessage()
                .contains("cannot take a file name from https://example.org/"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DownloadSpec.forUrl("https://example.org/a%2F..%2Fb", null)).getMessage()
                .contains("cannot take a file name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DownloadSpec.forUrl("https://exa mple.org/m.gguf", null)).getMessage()
                .contains("is not a valid URL"));
    }

    @Test
    void shownAddressesLoseTheirQueryAndCredentials() {
        assertEquals("https://cdn.example.org/x/y", Urls.display(URI.create("https://user:pw@cdn.example.org/x/y?X-Amz-Signature=secret")));
        assertEquals("http://localhost:8080/a", Urls.display(URI.create("http://localhost:8080/a")));
    }
}
