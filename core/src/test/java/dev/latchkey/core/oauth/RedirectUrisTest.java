package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact matching, and RFC 8252 §7.3's any-port loopback redirects for native apps only. */
class RedirectUrisTest {
    static final List<String> REGISTERED = List.of("http://127.0.0.1/cb", "http://[::1]/cb", "https://app.example/cb");

    @Test
    void aNativeAppsLoopbackRedirectMayUseAnyPort() {
        assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:51234/cb", true)).isTrue();
        assertThat(RedirectUris.matches(REGISTERED, "http://[::1]:8080/cb", true)).isTrue();
        // but only the port: path, query, host, scheme and userinfo still match exactly
        assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:51234/other", true)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:51234/cb?x=1", true)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, "http://localhost:51234/cb", true)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, "http://evil@127.0.0.1:51234/cb", true)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, "https://app.example:8443/cb", true)).isFalse();
    }

    @Test
    void aWebClientsLoopbackRedirectMatchesExactly() {
        assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1/cb", false)).isTrue();
        assertThat(RedirectUris.matches(REGISTERED, "http://127.0.0.1:51234/cb", false)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, "http://[::1]:8080/cb", false)).isFalse();
        assertThat(RedirectUris.matches(REGISTERED, null, false)).isFalse();
    }
}
