package dev.latchkey.core.oauth;

import java.util.List;

/** What an administrator asks for when registering or updating a client (wire names, unvalidated). */
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
        String accessTokenType) {
}
