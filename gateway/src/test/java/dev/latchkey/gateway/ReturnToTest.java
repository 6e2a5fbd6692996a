package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.gateway.login.ReturnTo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {
    @ParameterizedTest
    @ValueSource(strings = {"//evil.com", "/\\evil.com", "\\/evil.com", "https://evil.com", "HTTPS://evil.com", "http:evil.com",
            "/%2F%2Fevil.com", "/%2f%2fevil.com", "%2F%2Fevil.com", "/%5Cevil.com", "/%5cevil.com", "/\u0000x", "/a\nb", "/a\rb",
            "/\u007f", "/\u0085x", "javascript:alert(1)", "data:text/html,x", "evil.com", " /x", "/x y", "/%0a", "/%09/evil", "",
            "/%E0%A4%A", "///evil.com", "/%2F/evil.com",
            "/.//evil.com", "/%2e//evil.com", "/a/..//evil.com", "/a/%2E%2E//evil.com", "/..", "https:evil.com", "/%5C%5Cevil.com"})
    void unsafe(String p) {
        assertThat(ReturnTo.sanitize(p, "/")).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/dashboard", "/dashboard?tab=1&x=%2F", "/a/b#c", "/notes/%C3%A9t%C3%A9", "/x?next=https://ok"})
    void safe(String p) {
        assertThat(ReturnTo.sanitize(p, "/home")).isEqualTo(p);
    }
}
