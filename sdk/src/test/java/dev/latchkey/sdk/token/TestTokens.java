package dev.latchkey.sdk.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Verified tokens for tests of code that consumes them (as if {@link TokenVerifier} had checked them). */
public final class TestTokens {
    private TestTokens() {
    }

    /** A user's token: {@code sub}, {@code sid} (may be null), {@code ver} (negative: none), issued at {@code iat}. */
    public static VerifiedToken user(String sub, String sid, long ver, Instant iat) {
        JWTClaimsSet set = new JWTClaimsSet.Builder().subject(sub).build();
        return new VerifiedToken(sub, "client", Optional.ofNullable(sid), Optional.empty(), Set.of(), Set.of(), Set.of(),
                ver < 0 ? OptionalLong.empty() : OptionalLong.of(ver), "jti-" + System.nanoTime(), List.of("api"),
                iat, iat.plus(Duration.ofMinutes(5)), new Claims(set, set.toString()));
    }

    /** A token with exactly {@code set}'s claims ({@code sub}, {@code sid}, {@code sub_type} decide its kind). */
    public static VerifiedToken of(JWTClaimsSet set, Instant iat) {
        Object sid = set.getClaim("sid");
        return new VerifiedToken(set.getSubject(), "client", Optional.ofNullable(sid == null ? null : sid.toString()), Optional.empty(),
                Set.of(), Set.of(), Set.of(), OptionalLong.empty(), "jti-" + System.nanoTime(), List.of("api"), iat,
                iat.plus(Duration.ofMinutes(5)), new Claims(set, set.toString()));
    }

    /** A member's token in {@code org} with {@code roles} and {@code permissions}. */
    public static VerifiedToken member(String sub, String org, Set<String> roles, Set<String> permissions, Instant iat) {
        JWTClaimsSet set = new JWTClaimsSet.Builder().subject(sub).build();
        return new VerifiedToken(sub, "client", Optional.of("s-" + sub), Optional.of(org), roles, permissions, Set.of(),
                OptionalLong.of(1), "jti-" + System.nanoTime(), List.of("api"),
                iat, iat.plus(Duration.ofMinutes(5)), new Claims(set, set.toString()));
    }
}
