package dev.latchkey.sdk.revocation;

import static dev.latchkey.sdk.token.TestTokens.member;
import static dev.latchkey.sdk.token.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each kind of revocation refuses, and for how long it is remembered. */
class RevocationStateTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00.500Z");
    final RevocationState state = new RevocationState(Duration.ofMinutes(16));

    static RevocationEvent event(RevocationEvent.Kind kind, String user, String session, long version, Instant at) {
        return new RevocationEvent(1, kind, user, Optional.ofNullable(session), version < 0 ? OptionalLong.empty() : OptionalLong.of(version), at);
    }

    static RevocationEvent rolesChanged(long seq, String user, String org, Set<String> roles, Set<String> permissions) {
        return new RevocationEvent(seq, RevocationEvent.Kind.ROLES_CHANGED, user, Optional.empty(), OptionalLong.empty(), T,
                Optional.of(new RevocationEvent.RolesChange(org, roles, permissions)));
    }

    @Test
    void aRolesChangeRefusesThatOrgsTokensWithALostRoleOrPermissionOnly() {
        state.apply(rolesChanged(7, "u1", "acme", Set.of("viewer"), Set.of("notes:read")));
        assertThat(state.isRevoked(member("u1", "acme", Set.of("editor"), Set.of("notes:read", "notes:write"), T.minusSeconds(5))))
                .as("still carries the lost editor role and notes:write").isTrue();
        assertThat(state.isRevoked(member("u1", "acme", Set.of("viewer"), Set.of("notes:read"), T.plusSeconds(1))))
                .as("the new token").isFalse();
        assertThat(state.isRevoked(member("u1", "acme", Set.of(), Set.of(), T.minusSeconds(5)))).as("a subset stays valid").isFalse();
        assertThat(state.isRevoked(member("u1", "globex", Set.of("editor"), Set.of("notes:write"), T))).as("another org").isFalse();
        assertThat(state.isRevoked(member("u2", "acme", Set.of("editor"), Set.of("notes:write"), T))).as("another user").isFalse();

        // an older change delivered late does not undo the newer one; a newer one (role given back) does
        state.apply(rolesChanged(6, "u1", "acme", Set.of("editor"), Set.of("notes:read", "notes:write")));
        assertThat(state.isRevoked(member("u1", "acme", Set.of("editor"), Set.of("notes:read", "notes:write"), T))).isTrue();
        state.apply(rolesChanged(8, "u1", "acme", Set.of("editor"), Set.of("notes:read", "notes:write")));
        assertThat(state.isRevoked(member("u1", "acme", Set.of("editor"), Set.of("notes:read", "notes:write"), T))).isFalse();
    }

    @Test
    void aRolesChangeEventIsParsedFromTheFeedsJson() {
        RevocationEvent e = RevocationEvent.parse("""
                {"seq":9,"kind":"roles_changed","user_id":"u1","session_id":null,"security_version":null,"at":"2026-01-02T03:04:05Z",
                 "org_id":"acme","roles":["viewer"],"permissions":["notes:read"]}""");
        assertThat(e.kind()).isEqualTo(RevocationEvent.Kind.ROLES_CHANGED);
        assertThat(e.change()).contains(new RevocationEvent.RolesChange("acme", Set.of("viewer"), Set.of("notes:read")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RevocationEvent.parse("""
                {"seq":9,"kind":"roles_changed","user_id":"u1","at":"2026-01-02T03:04:05Z"}"""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roles_changed without org_id");
    }

    @Test
    void anEndedSessionRefusesItsTokensOnly() {
        state.apply(event(RevocationEvent.Kind.SESSION, "u1", "s1", -1, T));
        assertThat(state.isRevoked(user("u1", "s1", 1, T.minusSeconds(60)))).isTrue();
        assertThat(state.isRevoked(user("u1", "s2", 1, T.minusSeconds(60)))).as("another session of the same user").isFalse();
        assertThat(state.isRevoked(user("u1", null, 1, T.minusSeconds(60)))).isFalse();
    }

    @Test
    void aNewSecurityVersionRefusesLowerVersionsAndTokensWithoutOne() {
        state.apply(event(RevocationEvent.Kind.USER_VERSION, "u1", null, 3, T));
        assertThat(state.isRevoked(user("u1", "s", 2, T.minusSeconds(1)))).isTrue();
        assertThat(state.isRevoked(user("u1", "s", 3, T.plusSeconds(1)))).isFalse();
        assertThat(state.isRevoked(user("u1", "s", -1, T.plusSeconds(1)))).isTrue();
        assertThat(state.isRevoked(user("u2", "s", 1, T))).isFalse();
        // an older event arriving later does not lower the floor
        state.apply(event(RevocationEvent.Kind.USER_VERSION, "u1", null, 2, T.minusSeconds(30)));
        assertThat(state.isRevoked(user("u1", "s", 2, T.minusSeconds(1)))).isTrue();
    }

    @Test
    void disablingWithAVersionIsExactSoAReEnabledUsersNewTokensPass() {
        state.apply(event(RevocationEvent.Kind.USER_DISABLED, "u1", null, 5, T));
        assertThat(state.isRevoked(user("u1", "s", 4, T.minusSeconds(10)))).isTrue();
        assertThat(state.isRevoked(user("u1", "s", 5, T))).as("same second, but issued under the new version").isFalse();
    }

    @Test
    void deletionRefusesEveryTokenIssuedUpToItsSecond() {
        state.apply(event(RevocationEvent.Kind.USER_DELETED, "u1", null, -1, T));
        assertThat(state.isRevoked(user("u1", "s", 9, T.minusSeconds(300)))).isTrue();
        assertThat(state.isRevoked(user("u1", "s", 9, Instant.parse("2026-03-01T12:00:00Z")))).as("iat has whole seconds").isTrue();
        assertThat(state.isRevoked(user("u1", "s", 9, T.plusSeconds(1)))).isFalse();
        assertThat(state.isRevoked(user("u2", "s", 9, T.minusSeconds(300)))).isFalse();
    }

    @Test
    void entriesAreForgottenOnceEveryTokenTheyCouldRefuseHasExpired() {
        state.apply(event(RevocationEvent.Kind.SESSION, "u1", "s1", -1, T));
        state.apply(event(RevocationEvent.Kind.USER_DELETED, "u2", null, -1, T.plusSeconds(120)));
        state.sweep(T.plus(Duration.ofMinutes(15)));
        assertThat(state.sessions()).isEqualTo(1);
        assertThat(state.users()).isEqualTo(1);
        state.sweep(T.plus(Duration.ofMinutes(16)).plusSeconds(1));
        assertThat(state.sessions()).isZero();
        assertThat(state.users()).isEqualTo(1);
        assertThat(state.isRevoked(user("u1", "s1", 1, T))).isFalse();
        assertThat(state.isRevoked(user("u2", "s", 1, T))).isTrue();
        state.sweep(T.plus(Duration.ofMinutes(19)));
        assertThat(state.users()).isZero();
    }
}
