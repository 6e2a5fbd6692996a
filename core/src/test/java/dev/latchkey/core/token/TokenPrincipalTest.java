package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.core.id.UuidV7;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one rule for what a user's and a client's token say, and for the ids that keep them apart. */
class TokenPrincipalTest {
    static final UUID USER = UUID.fromString("0190f2a4-7b1c-7cc2-9a57-00000000a11c");
    static final UUID SESSION = UUID.fromString("0190f2a4-7b1c-7cc2-9a57-0000000005e5");

    static JWTClaimsSet written(TokenPrincipal p) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        p.writeTo(b);
        return b.build();
    }

    @Test
    void aUsersTokenHasTheUserIdSessionAndVersionAndNoSubType() {
        JWTClaimsSet c = written(new TokenPrincipal.User(USER, SESSION, "org-1", List.of("admin"), 3));
        assertThat(c.getSubject()).isEqualTo(USER.toString());
        assertThat(c.getClaim("sid")).isEqualTo(SESSION.toString());
        assertThat(c.getClaim("ver")).isEqualTo(3);
        assertThat(c.getClaim("org")).isEqualTo("org-1");
        assertThat(c.getClaim("roles")).isEqualTo(List.of("admin"));
        assertThat(c.getClaim(TokenPrincipal.SUB_TYPE)).isNull();
        assertThat(TokenPrincipal.kindOf(c)).isEqualTo(TokenPrincipal.Kind.USER);
    }

    @Test
    void aClientsTokenHasItsIdAsSubAndSubTypeClientAndNothingOfAUser() {
        JWTClaimsSet c = written(new TokenPrincipal.Client("reporting"));
        assertThat(c.getSubject()).isEqualTo("reporting");
        assertThat(c.getClaim(TokenPrincipal.SUB_TYPE)).isEqualTo("client");
        assertThat(c.getClaims().keySet()).containsExactlyInAnyOrder("sub", "sub_type");
        assertThat(TokenPrincipal.kindOf(c)).isEqualTo(TokenPrincipal.Kind.CLIENT);
    }

    @Test
    void onlyATokenWithASessionAndWithoutSubTypeIsAUsers() {
        // a token of an older server (no sub_type) without a session: a client's
        assertThat(TokenPrincipal.kindOf(new JWTClaimsSet.Builder().subject(USER.toString()).build())).isEqualTo(TokenPrincipal.Kind.CLIENT);
        // sub_type wins over a session
        assertThat(TokenPrincipal.kindOf(new JWTClaimsSet.Builder().subject("x").claim("sid", SESSION.toString()).claim("sub_type", "client")
                .build())).isEqualTo(TokenPrincipal.Kind.CLIENT);
        // any sub_type at all, even "user", is not how a user's token looks
        assertThat(TokenPrincipal.kindOf(new JWTClaimsSet.Builder().subject(USER.toString()).claim("sid", SESSION.toString())
                .claim("sub_type", "user").build())).isEqualTo(TokenPrincipal.Kind.CLIENT);
        assertThat(TokenPrincipal.kindOf(new JWTClaimsSet.Builder().subject(USER.toString()).claim("sid", "").build()))
                .isEqualTo(TokenPrincipal.Kind.CLIENT);
        assertThat(TokenPrincipal.kindOf(new JWTClaimsSet.Builder().subject(USER.toString()).claim("sid", 42).build()))
                .isEqualTo(TokenPrincipal.Kind.CLIENT);
    }

    @Test
    void everyFormOfAUuidLooksLikeAUserId() {
        assertThat(TokenPrincipal.looksLikeUserId(USER.toString())).isTrue();
        assertThat(TokenPrincipal.looksLikeUserId(USER.toString().toUpperCase())).isTrue();
        assertThat(TokenPrincipal.looksLikeUserId(USER.toString().replace("-", ""))).isTrue();          // PostgreSQL reads it
        assertThat(TokenPrincipal.looksLikeUserId("0190f2a47b1c-7cc2-9a57-00000000a11c")).isTrue();    // hyphens dropped anywhere
        assertThat(TokenPrincipal.looksLikeUserId("1-2-3-4-5")).isTrue();                               // java.util.UUID reads it
        assertThat(UUID.fromString("1-2-3-4-5")).as("what makes it one").isNotNull();
        assertThat(TokenPrincipal.looksLikeUserId(UUID.randomUUID().toString())).isTrue();
    }

    /** The other half of the rule: every user id Latchkey makes has the reserved form, so it can never equal a client id. */
    @Test
    void everyUserIdHasTheFormNoClientIdMayHave() {
        for (int i = 0; i < 1000; i++) {
            assertThat(TokenPrincipal.looksLikeUserId(UuidV7.next().toString())).isTrue();
        }
    }

    @Test
    void ordinaryClientIdsDoNot() {
        for (String id : List.of("reporting", "gateway", "notes-web", "cafe", "12345", "dead-beef", "1-2-3-4", "1-2-3-4-5-6",
                "0190f2a4-7b1c-7cc2-9a57-00000000a11cx", "g".repeat(32), "a".repeat(31), "com.example.app")) {
            assertThat(TokenPrincipal.looksLikeUserId(id)).as(id).isFalse();
        }
    }

    @Test
    void aClientPrincipalCannotCarryAUserShapedId() {
        assertThatThrownBy(() -> new TokenPrincipal.Client(USER.toString())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenPrincipal.User(USER, null, null, null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("session");
    }

    @Test
    void aClientsOwnTokenNamesThatClient() {
        assertThatThrownBy(() -> new AccessTokenRequest(new TokenPrincipal.Client("a"), List.of(), "b", null, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
