package dev.latchkey.core.oauth;

import dev.latchkey.core.key.SigningAlgorithm;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered OAuth client. Secrets are kept only as SHA-256 hashes (they are 256-bit random
 * values, so a fast hash is enough); {@code jwks} holds the public keys of a private_key_jwt client.
 * {@code jwtTypedAccessTokens} is an explicit opt-in for resource servers that accept only
 * {@code typ: JWT} (RFC 9068 §2.1 asks for {@code at+jwt}, which stays the default).
 * {@code idTokenSignedResponseAlg} is how its ID tokens are signed (RS256 by default, OIDC Dynamic
 * Client Registration §2); {@code applicationType} whether it is a native app (RFC 8252), whose
 * loopback redirect URIs may use any port.
 */
public record Client(
        String clientId,
        String name,
        ClientAuthMethod authMethod,
        byte[] secretHash,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        Set<GrantType> grantTypes,
        Set<String> scopes,
        List<String> audiences,
        boolean firstParty,
        boolean requirePar,
        String jwks,
        boolean jwtTypedAccessTokens,
        SigningAlgorithm idTokenSignedResponseAlg,
        ApplicationType applicationType,
        Instant createdAt,
        Instant updatedAt) {

    public Client {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authMethod, "authMethod");
        Objects.requireNonNull(idTokenSignedResponseAlg, "idTokenSignedResponseAlg");
        Objects.requireNonNull(applicationType, "applicationType");
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        audiences = List.copyOf(audiences);
    }

    /** A web client with RS256 ID tokens: the defaults of the fields registered since. */
    public Client(String clientId, String name, ClientAuthMethod authMethod, byte[] secretHash, List<String> redirectUris,
                  List<String> postLogoutRedirectUris, Set<GrantType> grantTypes, Set<String> scopes, List<String> audiences,
                  boolean firstParty, boolean requirePar, String jwks, boolean jwtTypedAccessTokens, Instant createdAt, Instant updatedAt) {
        this(clientId, name, authMethod, secretHash, redirectUris, postLogoutRedirectUris, grantTypes, scopes, audiences, firstParty,
                requirePar, jwks, jwtTypedAccessTokens, SigningAlgorithm.RS256, ApplicationType.WEB, createdAt, updatedAt);
    }

    public boolean isPublic() {
        return authMethod == ClientAuthMethod.NONE;
    }

    public boolean allows(GrantType g) {
        return grantTypes.contains(g);
    }

    /** Whether {@code presented} is one of its redirect URIs (RFC 8252 §7.3 port freedom only for a native app). */
    public boolean hasRedirectUri(String presented) {
        return RedirectUris.matches(redirectUris, presented, applicationType == ApplicationType.NATIVE);
    }

    @Override
    public String toString() {
        return "Client[" + clientId + "]";
    }
}
