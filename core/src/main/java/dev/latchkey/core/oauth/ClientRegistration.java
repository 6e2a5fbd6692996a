package dev.latchkey.core.oauth;

import java.util.List;

/**
 * What an administrator asks for when registering or updating a client (wire names, unvalidated).
 * A null field takes its default; on update, a null {@code idTokenSignedResponseAlg} or
 * {@code applicationType} keeps the client's current value instead, so that a replacement written
 * before those fields existed cannot change how a relying party's ID tokens are signed or how its
 * redirects match.
 */
public record ClientRegistration(
        String clientId,
        String name,
        String authMethod,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> grantTypes,
        String scope,
        List<String> audiences,
        Boolean firstParty,
        Boolean requirePar,
        String jwks,
        String accessTokenType,
        String idTokenSignedResponseAlg,
        String applicationType) {

    /** A registration that leaves the fields added since to their defaults (or, on update, to their current values). */
    public ClientRegistration(String clientId, String name, String authMethod, List<String> redirectUris, List<String> postLogoutRedirectUris,
                              List<String> grantTypes, String scope, List<String> audiences, Boolean firstParty, Boolean requirePar,
                              String jwks, String accessTokenType) {
        this(clientId, name, authMethod, redirectUris, postLogoutRedirectUris, grantTypes, scope, audiences, firstParty, requirePar, jwks,
                accessTokenType, null, null);
    }
}
