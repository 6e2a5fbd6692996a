package dev.latchkey.sdk.revocation;

import static dev.latchkey.sdk.token.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What each kind of revocation refuses, and for how long it is remembered. */
class RevocationStateTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00.500Z");
    final RevocationState state = new RevocationState(Duration.ofMinutes(16));

    static RevocationEvent event(RevocationEvent.Kind kind, String user, String session, long version, Instant at) {
        return new RevocationEvent(1, kind, user, Optional.ofNullable(session), version < 0 ? OptionalLong.empty() : OptionalLong.of(version), at);
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
