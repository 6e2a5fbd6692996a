package dev.latchkey.cli;

import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.GrantType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The fields of an OAuth client, named after the admin API's JSON fields. On {@code create} an
 * absent option takes the registry's default; on {@code update} it keeps the current value, and a
 * repeatable option that is given replaces the whole list.
 */
final class ClientOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "client_name, shown on the consent page (default: the client id).")
    String name;

    @Option(names = "--auth-method", paramLabel = "METHOD", description = "token_endpoint_auth_method: client_secret_basic (default), "
            + "client_secret_post, private_key_jwt (with --jwks-file) or none (a public client: PKCE only).")
    String authMethod;

    @Option(names = "--redirect-uri", paramLabel = "URI", description = "redirect_uris: exact URIs (repeat for several).")
    List<String> redirectUris;

    @Option(names = "--post-logout-redirect-uri", paramLabel = "URI", description = "post_logout_redirect_uris (repeat for several).")
    List<String> postLogoutRedirectUris;

    @Option(names = "--grant-type", paramLabel = "GRANT", split = ",", description = "grant_types: authorization_code, refresh_token, "
            + "client_credentials (repeat or separate with commas; default: authorization_code and refresh_token).")
    List<String> grantTypes;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "scope: the scopes the client may ask for, separated by spaces "
            + "or given one per option (default: openid profile email).")
    List<String> scopes;

    @Option(names = "--audience", paramLabel = "AUD", description = "audiences: the aud of its access tokens (repeat for several; "
            + "default: the issuer).")
    List<String> audiences;

    @Option(names = "--first-party", negatable = true, description = "first_party: never ask the user for consent (--no-first-party: ask).")
    Boolean firstParty;

    @Option(names = "--require-par", negatable = true, description = "require_pushed_authorization_requests (RFC 9126).")
    Boolean requirePar;

    @Option(names = "--access-token-type", paramLabel = "TYPE", description = "access_token_type: at+jwt (RFC 9068, default) or jwt "
            + "(opt-in for resource servers that accept only typ JWT, e.g. Spring Security configured with issuer-uri alone).")
    String accessTokenType;

    @Option(names = "--jwks-file", paramLabel = "FILE", description = "jwks: a JWK Set file with the public keys of a private_key_jwt client.")
    Path jwksFile;

    @Option(names = "--id-token-signed-response-alg", paramLabel = "ALG", description = "id_token_signed_response_alg: RS256 (default, "
            + "what relying parties assume) or ES256.")
    String idTokenSignedResponseAlg;

    @Option(names = "--application-type", paramLabel = "TYPE", description = "application_type: web (default) or native (a native app: "
            + "its loopback redirect URIs such as http://127.0.0.1/cb may come with any port, RFC 8252 §7.3).")
    String applicationType;

    /** A registration from these options alone (for create). */
    ClientRegistration registration(String clientId) {
        return new ClientRegistration(clientId, name, authMethod, redirectUris, postLogoutRedirectUris, grantTypes, scope(), audiences,
                firstParty, requirePar, jwks(), accessTokenType, idTokenSignedResponseAlg, applicationType);
    }

    /** {@code current}, with what these options change (for update). */
    ClientRegistration changes(Client current) {
        String method = authMethod != null ? authMethod : current.authMethod().wireName();
        String jwks = jwks();
        if (jwks == null && ClientAuthMethod.PRIVATE_KEY_JWT.wireName().equals(method)) {
            jwks = current.jwks();
        }
        return new ClientRegistration(current.clientId(),
                name != null ? name : current.name(),
                method,
                redirectUris != null ? redirectUris : current.redirectUris(),
                postLogoutRedirectUris != null ? postLogoutRedirectUris : current.postLogoutRedirectUris(),
                grantTypes != null ? grantTypes : current.grantTypes().stream().map(GrantType::wireName).sorted().toList(),
                scopes != null ? scope() : String.join(" ", current.scopes()),
                audiences != null ? audiences : current.audiences(),
                firstParty != null ? firstParty : current.firstParty(),
                requirePar != null ? requirePar : current.requirePar(),
                jwks,
                accessTokenType != null ? accessTokenType : current.jwtTypedAccessTokens() ? "jwt" : "at+jwt",
                idTokenSignedResponseAlg != null ? idTokenSignedResponseAlg : current.idTokenSignedResponseAlg().wireName(),
                applicationType != null ? applicationType : current.applicationType().wireName());
    }

    private String scope() {
        return scopes == null ? null : String.join(" ", scopes).strip();
    }

    private String jwks() {
        if (jwksFile == null) {
            return null;
        }
        try {
            return Files.readString(jwksFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read --jwks-file " + jwksFile + ": " + e.getMessage());
        }
    }
}
