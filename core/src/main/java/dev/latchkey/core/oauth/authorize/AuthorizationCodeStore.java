package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.session.PreparedGrant;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** Storage port for authorization codes. */
public interface AuthorizationCodeStore {
    /**
     * Stores a code; one for an organization ({@code code.orgId()}) only while its user is a member of it, in the
     * same statement. False when nothing was stored.
     */
    boolean save(byte[] codeHash, AuthorizationCode code);

    /** The outcome of presenting a code. */
    sealed interface Redemption permits Redeemed, Replayed, Refused {
    }

    /** The code was consumed by this call and the grant made from it is stored. */
    record Redeemed(AuthorizationCode code, PreparedGrant grant) implements Redemption {
    }

    /** The code had been redeemed before: the grant made from it was revoked by this call (RFC 9700 §4.5.3). */
    record Replayed(UUID grantSessionId, String clientId) implements Redemption {
    }

    /** Unknown, expired, or not matching client / redirect URI / PKCE verifier: nothing consumed. */
    record Refused(String reason) implements Redemption {
    }

    /**
     * In one transaction: consumes the code only if it is unredeemed, unexpired and matches the
     * client, redirect URI and PKCE challenge, then stores the grant {@code makeGrant} builds from it
     * (its session and refresh family). A second presentation of a redeemed code revokes that grant.
     * {@code redirectUri} is the token request's (null when absent): it must equal the code's, and
     * may be absent only when the authorization request had none either (RFC 6749 §4.1.3).
     */
    Redemption redeem(byte[] codeHash, String clientId, String redirectUri, String codeChallenge, Instant now,
                      Function<AuthorizationCode, PreparedGrant> makeGrant);
}
