package dev.latchkey.core.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates a client at the token, PAR, introspection and revocation endpoints: exactly the
 * method it registered, a constant-time secret check, or a private_key_jwt assertion (RFC 7523 §3:
 * iss = sub = client_id, our issuer or endpoint in aud, unexpired, short-lived, single-use jti,
 * signed with an asymmetric algorithm by one of the client's registered keys).
 */
public final class ClientAuthenticator {
    private static final Set<JWSAlgorithm> ASSERTION_ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final ClientStore clients;
    private final AssertionReplayStore replays;
    private final Clock clock;
    private final List<String> acceptedAudiences;

    /** @param acceptedAudiences the issuer and the endpoint URLs a client assertion may name as its audience */
    public ClientAuthenticator(ClientStore clients, AssertionReplayStore replays, Clock clock, List<String> acceptedAudiences) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.replays = Objects.requireNonNull(replays, "replays");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.acceptedAudiences = List.copyOf(acceptedAudiences);
    }

    /** The authenticated client, or INVALID_CLIENT. Public clients pass with their client_id alone. */
    public Client authenticate(ClientCredentials presented) {
        return switch (presented) {
            case ClientCredentials.Basic(String id, String secret) -> secretClient(id, secret, ClientAuthMethod.CLIENT_SECRET_BASIC);
            case ClientCredentials.Post(String id, String secret) -> secretClient(id, secret, ClientAuthMethod.CLIENT_SECRET_POST);
            case ClientCredentials.Assertion(String jwt, String id) -> assertionClient(jwt, id);
            case ClientCredentials.PublicId(String id) -> {
                Client c = known(id);
                if (!c.isPublic()) {
                    throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "Client authentication is required.",
                            "confidential client " + id + " sent no credentials");
                }
                yield c;
            }
            case ClientCredentials.Absent() -> throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT,
                    "Client authentication is required.", "no client credentials");
        };
    }

    private Client known(String id) {
        return clients.find(id).orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_CLIENT, "unknown client"));
    }

    private Client secretClient(String id, String secret, ClientAuthMethod used) {
        Client c = known(id);
        byte[] presented = Digests.sha256(secret == null ? "" : secret);
        if (c.secretHash() == null || !Digests.equal(presented, c.secretHash())) {
            throw LatchkeyException.of(ErrorCode.INVALID_CLIENT, "wrong secret for " + id);
        }
        if (c.authMethod() != used) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "Use the registered authentication method ("
                    + c.authMethod().wireName() + ").", id + " used " + used.wireName());
        }
        return c;
    }

    private Client assertionClient(String assertion, String claimedId) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion is not a signed JWT.", "malformed assertion");
        }
        String iss = claims.getIssuer();
        if (iss == null || !iss.equals(claims.getSubject()) || (claimedId != null && !claimedId.equals(iss))) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion's iss and sub must both be the client_id.",
                    "assertion iss/sub mismatch");
        }
        Client c = known(iss);
        if (c.authMethod() != ClientAuthMethod.PRIVATE_KEY_JWT) {
            throw LatchkeyException.of(ErrorCode.INVALID_CLIENT, iss + " is not registered for private_key_jwt");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ASSERTION_ALGS.contains(alg)) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion's algorithm is not allowed.", "alg " + alg);
        }
        if (!verifiedByAny(jwt, c)) {
            throw LatchkeyException.of(ErrorCode.INVALID_CLIENT, "assertion signature not verified by " + iss + "'s keys");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().plus(SKEW).isAfter(now)) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion has expired.", "assertion expired");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (exp.isAfter(now.plus(MAX_ASSERTION_LIFETIME))) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion lives too long (at most 10 minutes).", "long assertion");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion is not valid yet.", "assertion nbf");
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(acceptedAudiences::contains)) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion's audience must be the issuer or the endpoint.",
                    "assertion aud " + claims.getAudience());
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion needs a jti.", "assertion without jti");
        }
        if (!replays.firstUse(c.clientId(), jti, exp.plus(SKEW))) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The client assertion was already used.", "assertion replay");
        }
        return c;
    }

    private static boolean verifiedByAny(SignedJWT jwt, Client c) {
        JWKSet set;
        try {
            set = JWKSet.parse(c.jwks());
        } catch (ParseException e) {
            return false;
        }
        String kid = jwt.getHeader().getKeyID();
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        for (JWK k : set.getKeys()) {
            if (kid != null && !kid.equals(k.getKeyID())) {
                continue;
            }
            try {
                JWSVerifier v = verifierFor(k, alg);
                if (v != null && jwt.verify(v)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key that cannot verify this algorithm: try the next
            }
        }
        return false;
    }

    private static JWSVerifier verifierFor(JWK k, JWSAlgorithm alg) throws JOSEException {
        if (k instanceof RSAKey rsa && (alg.equals(JWSAlgorithm.RS256) || alg.equals(JWSAlgorithm.PS256))) {
            return rsa.size() >= 2048 ? new RSASSAVerifier(rsa) : null;
        }
        if (k instanceof ECKey ec && alg.equals(JWSAlgorithm.ES256)) {
            return new ECDSAVerifier(ec);
        }
        return null;
    }

}
