package dev.latchkey.core.oauth.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Acr;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.authn.Authentication;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.token.AccessTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * ID tokens (OIDC Core §2): {@code iss sub aud exp iat auth_time nonce amr acr at_hash sid azp} (and {@code idp}
 * after a federated sign-in),
 * plus the profile and email claims the scopes allow (§5.4), so a relying party has them without a
 * userinfo call. {@code sub} is the unified user id; {@code sid} the browser session (OIDC
 * Front-Channel Logout §2). Signed with the algorithm the client registered (RS256 unless it chose
 * ES256; OIDC Dynamic Client Registration §2).
 */
public final class IdTokens {
    /**
     * After a federated sign-in ({@code amr} contains {@code fed}): the name of the upstream identity provider
     * (docs/identity-providers.md, "Claims"). {@code sub} stays the unified user id.
     */
    public static final String IDP_CLAIM = "idp";

    private final AccessTokens signer;
    private final Clock clock;
    private final String issuer;
    private final Duration ttl;

    public IdTokens(AccessTokens signer, Clock clock, String issuer, Duration ttl) {
        this.signer = signer;
        this.clock = clock;
        this.issuer = issuer;
        this.ttl = ttl;
    }

    /** An ID token for {@code clientId}, signed with {@code alg} (the client's {@code id_token_signed_response_alg}). */
    public String issue(User user, String clientId, SigningAlgorithm alg, String nonce, Instant authTime, String amr, String sessionId,
                        Set<String> scopes, String accessToken) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        List<Amr> methods = Amr.parse(amr);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user.id().toString())
                .audience(clientId)
                .expirationTime(Date.from(now.plus(ttl)))
                .issueTime(Date.from(now))
                .claim("auth_time", authTime.getEpochSecond())
                .claim("azp", clientId)
                .claim("amr", methods.stream().map(Amr::wireName).toList())
                .claim("acr", Acr.of(methods).wireName())
                .claim("sid", sessionId);
        Authentication.idpOf(amr).ifPresent(idp -> c.claim(IDP_CLAIM, idp));
        if (nonce != null) {
            c.claim("nonce", nonce);
        }
        if (accessToken != null) {
            c.claim("at_hash", atHash(accessToken));
        }
        if (scopes.contains("email")) {
            c.claim("email", user.email().value()).claim("email_verified", user.emailVerified());
        }
        if (scopes.contains("profile") && user.name() != null) {
            c.claim("name", user.name());
        }
        return signer.sign(c.build(), JOSEObjectType.JWT, alg);
    }

    /** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token's ASCII. */
    public static String atHash(String accessToken) {
        byte[] h = Digests.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, h.length / 2));
    }
}
