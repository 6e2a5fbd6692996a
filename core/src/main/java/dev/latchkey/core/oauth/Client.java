package dev.latchkey.core.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered OAuth client. Secrets are kept only as SHA-256 hashes (they are 256-bit random
 * values, so a fast hash is enough); {@code jwks} holds the public keys of a private_key_jwt client.
 * {@code jwtTypedAccessTokens} is an explicit opt-in for resource servers that accept only
 * {@code typ: JWT} (RFC 9068 §2.1 asks for {@code at+jwt}, which stays the default).
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
        Instant createdAt,
        Instant updatedAt) {

    public Client {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authMethod, "authMethod");
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        audiences = List.copyOf(audiences);
    }

    public boolean isPublic() {
        return authMethod == ClientAuthMethod.NONE;
    }

    public boolean allows(GrantType g) {
        return grantTypes.contains(g);
    }

    @Override
    public String toString() {
        return "Client[" + clientId + "]";
    }
}
