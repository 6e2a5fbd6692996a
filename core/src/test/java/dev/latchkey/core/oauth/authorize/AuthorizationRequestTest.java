package dev.latchkey.core.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.GrantType;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {
    static final Client CLIENT = new Client("app", "App", ClientAuthMethod.NONE, null, List.of("https://app.example/cb"), List.of(),
            Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(), false, false, null, false, Instant.EPOCH, Instant.EPOCH);

    static AuthorizationRequest request(Set<String> scopes) {
        return new AuthorizationRequest(CLIENT, "https://app.example/cb", true, scopes, "s", "n", "c".repeat(43), Set.of(), null, null, false, Set.of());
    }

    /** The consent page showed the scopes in a different order at every server start (Set.copyOf iterates in a salted order). */
    @Test
    void scopesKeepTheOrderTheClientAskedFor() {
        List<String> asked = IntStream.range(0, 20).mapToObj(i -> "scope-" + (char) ('t' - i)).toList();
        AuthorizationRequest r = request(new LinkedHashSet<>(asked));
        assertThat(r.scopes()).containsExactlyElementsOf(asked);
        assertThat(request(new LinkedHashSet<>(List.of("openid", "profile", "email"))).scopes()).containsExactly("openid", "profile", "email");
    }

    @Test
    void scopesCannotBeChangedAfterTheChecks() {
        Set<String> asked = new LinkedHashSet<>(List.of("openid", "profile"));
        AuthorizationRequest r = request(asked);
        asked.add("admin");
        assertThat(r.scopes()).containsExactly("openid", "profile");
        assertThatThrownBy(() -> r.scopes().add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }
}
