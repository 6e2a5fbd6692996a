package dev.latchkey.gateway.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/** The endpoints the gateway uses, from OpenID Connect Discovery 1.0 §3 / RFC 8414 §2. */
public record ProviderMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
                               Optional<URI> revocationEndpoint, Optional<URI> endSessionEndpoint, Optional<URI> userinfoEndpoint) {
    public ProviderMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(jwksUri, "jwksUri");
    }

    /**
     * Parses a discovery document; OIDC Discovery §4.3: its {@code issuer} must be exactly the issuer it was
     * fetched for.
     */
    static ProviderMetadata parse(JsonNode doc, String expectedIssuer) {
        String issuer = doc.path("issuer").asText("");
        if (!issuer.equals(expectedIssuer)) {
            throw new IllegalArgumentException("discovery issuer " + issuer + " is not the configured issuer " + expectedIssuer);
        }
        return new ProviderMetadata(issuer, required(doc, "authorization_endpoint"), required(doc, "token_endpoint"),
                required(doc, "jwks_uri"), optional(doc, "revocation_endpoint"), optional(doc, "end_session_endpoint"),
                optional(doc, "userinfo_endpoint"));
    }

    private static URI required(JsonNode doc, String field) {
        return optional(doc, field).orElseThrow(() -> new IllegalArgumentException("discovery document lacks " + field));
    }

    private static Optional<URI> optional(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(URI.create(v.asText()));
    }
}
