package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Registration rules: ids that cannot be a user's, ID-token algorithms, application types. */
class ClientRegistryTest {
    final MemoryClientStore store = new MemoryClientStore();
    final ClientRegistry registry = new ClientRegistry(store, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    static ClientRegistration machine(String id) {
        return new ClientRegistration(id, null, "client_secret_post", null, null, List.of("client_credentials"), "reports:read", null,
                null, null, null, null);
    }

    static ClientRegistration web(String id, String alg, String type) {
        return new ClientRegistration(id, null, null, List.of("https://app.example/cb", "http://127.0.0.1/cb"), null, null, null, null,
                null, null, null, null, alg, type);
    }

    static LatchkeyException refused(Runnable r) {
        try {
            r.run();
        } catch (LatchkeyException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aClientIdOfAnyUuidFormIsRefusedBecauseUserIdsHaveThatForm() {
        String userId = UUID.randomUUID().toString();
        for (String id : List.of(userId, userId.toUpperCase(), userId.replace("-", ""), "1-2-3-4-5")) {
            LatchkeyException e = refused(() -> registry.register(machine(id)));
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.publicMessage()).contains("client_id must not look like a UUID");
        }
        assertThat(store.clients).isEmpty();
        assertThat(registry.register(machine("reporting")).client().clientId()).isEqualTo("reporting");
    }

    @Test
    void aGeneratedClientIdNeverLooksLikeAUserId() {
        for (int i = 0; i < 200; i++) {
            String id = registry.register(machine(null)).client().clientId();
            assertThat(TokenPrincipal.looksLikeUserId(id)).as(id).isFalse();
        }
    }

    @Test
    void aClientRegisteredBeforeTheRuleCanOnlyBeDeleted() {
        String legacy = UUID.randomUUID().toString();
        Instant t = Instant.parse("2020-01-01T00:00:00Z");
        store.create(new Client(legacy, legacy, ClientAuthMethod.CLIENT_SECRET_POST, new byte[32], List.of(), List.of(),
                java.util.Set.of(GrantType.CLIENT_CREDENTIALS), java.util.Set.of("reports:read"), List.of(), false, false, null, false, t, t));
        assertThat(refused(() -> registry.update(legacy, machine(legacy))).publicMessage()).contains("register this client again");
        assertThat(refused(() -> registry.rotateSecret(legacy)).publicMessage()).contains("looks like a user id");
        assertThat(registry.delete(legacy)).isTrue();
    }

    @Test
    void idTokensAreRs256UnlessTheClientRegistersEs256() {
        assertThat(registry.register(web("a", null, null)).client().idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(registry.register(web("b", "ES256", null)).client().idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(registry.register(web("c", "RS256", null)).client().idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
        for (String bad : List.of("HS256", "none", "PS256", "rs256", "")) {
            assertThat(refused(() -> registry.register(web("d", bad, null))).publicMessage())
                    .contains("id_token_signed_response_alg must be RS256 (the default) or ES256");
        }
    }

    @Test
    void clientsAreWebAppsUnlessRegisteredAsNative() {
        Client w = registry.register(web("w", null, null)).client();
        assertThat(w.applicationType()).isEqualTo(ApplicationType.WEB);
        assertThat(w.hasRedirectUri("http://127.0.0.1/cb")).isTrue();
        assertThat(w.hasRedirectUri("http://127.0.0.1:50000/cb")).isFalse();
        Client n = registry.register(web("n", null, "native")).client();
        assertThat(n.applicationType()).isEqualTo(ApplicationType.NATIVE);
        assertThat(n.hasRedirectUri("http://127.0.0.1:50000/cb")).isTrue();
        assertThat(refused(() -> registry.register(web("x", null, "desktop"))).publicMessage())
                .contains("application_type must be web (the default) or native");
    }

    @Test
    void anUpdateThatLeavesTheNewerFieldsOutKeepsThemAndOneThatNamesThemChangesThem() {
        registry.register(web("app", "ES256", "native"));
        Client kept = registry.update("app", web("app", null, null)).client();
        assertThat(kept.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(kept.applicationType()).isEqualTo(ApplicationType.NATIVE);
        Client changed = registry.update("app", web("app", "RS256", "web")).client();
        assertThat(changed.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(changed.applicationType()).isEqualTo(ApplicationType.WEB);
        assertThat(registry.rotateSecret("app").client().idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> registry.register(web(UUID.randomUUID().toString(), "HS256", "desktop")))
                .isInstanceOf(LatchkeyException.class)
                .satisfies(e -> assertThat(((LatchkeyException) e).publicMessage()).contains("client_id", "id_token_signed_response_alg",
                        "application_type"));
    }
}
