package dev.latchkey.examples.pages;

import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.RevocationCheck;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the gateway's {@value #HEADER} header: an ES256 JWT ({@code typ: JWT}, with {@code kid}) signed by the
 * gateway, with {@code iss} = the gateway's URL, {@code aud} = the configured audience, {@code sub email name
 * org roles iat exp jti}, valid 60 s. Verified with the SDK's {@link TokenVerifier} against the gateway's JWKS
 * ({@code <gateway>/auth/jwks.json}). A missing or invalid assertion is an anonymous visitor.
 */
public final class GatewayAssertions {
    public static final String HEADER = "Latchkey-Assertion";
    private static final Logger log = LoggerFactory.getLogger(GatewayAssertions.class);

    /** The gateway's keys could not be fetched: neither signed in nor out, so the page answers 503. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final TokenVerifier verifier;

    public GatewayAssertions(String gatewayUrl, String audience) {
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        this.verifier = TokenVerifier.builder()
                .issuer(gatewayUrl)
                .audience(audience)
                .jwksUri(URI.create(gatewayUrl + "/auth/jwks.json"))
                .expectedType("JWT")
                .clientIdRequired(false)
                .clockSkew(Duration.ofSeconds(10))
                // an assertion lives 60 s and is minted per request from a live gateway session (which the
                // gateway ends on revocation); it carries no ver/sid for a revocation feed to match
                .revocationCheck(token -> false)
                .build();
    }

    /** The visitor the request's assertion names; {@link Unavailable} when the gateway's keys are unreachable. */
    public Visitor visitor(String assertion) {
        if (assertion == null || assertion.isEmpty()) {
            return new Visitor.Anonymous();
        }
        try {
            VerifiedToken t = verifier.verify(assertion);
            return new Visitor.SignedIn(t.subject(), t.claims().string("email").orElse(""), t.claims().string("name").orElse(""),
                    t.organization().orElse(""), t.roles());
        } catch (TokenRejectedException e) {
            if (e.reason() == RejectReason.KEYS_UNAVAILABLE) {
                log.warn("gateway keys unavailable: {}", e.getMessage());
                throw new Unavailable(e.getMessage());
            }
            log.info("assertion refused: {}", e.getMessage());
            return new Visitor.Anonymous();
        } catch (IllegalStateException e) {
            log.info("assertion refused: {}", e.getMessage()); // email or name of the wrong JSON type
            return new Visitor.Anonymous();
        }
    }
}
