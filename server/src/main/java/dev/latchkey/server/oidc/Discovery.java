package dev.latchkey.server.oidc;

import dev.latchkey.core.authn.Acr;
import dev.latchkey.server.http.Endpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 (the same document at both
 * well-known paths), listing exactly what this server does.
 */
public final class Discovery implements Endpoints {
    private final byte[] document;

    public Discovery(String issuer, com.fasterxml.jackson.databind.ObjectMapper json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + OidcPaths.AUTHORIZE);
        m.put("token_endpoint", issuer + OidcPaths.TOKEN);
        m.put("userinfo_endpoint", issuer + OidcPaths.USERINFO);
        m.put("jwks_uri", issuer + "/.well-known/jwks.json");
        m.put("pushed_authorization_request_endpoint", issuer + OidcPaths.PAR);
        m.put("revocation_endpoint", issuer + OidcPaths.REVOKE);
        m.put("introspection_endpoint", issuer + OidcPaths.INTROSPECT);
        m.put("end_session_endpoint", issuer + OidcPaths.LOGOUT);
        m.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials",
                dev.latchkey.core.oauth.GrantType.TOKEN_EXCHANGE.wireName()));
        m.put("subject_types_supported", List.of("public"));
        // RS256 first: OIDC Discovery §3 requires it, and it is the default of id_token_signed_response_alg
        m.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256"));
        List<String> auth = List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
        List<String> confidential = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");
        List<String> assertionAlgs = List.of("RS256", "PS256", "ES256");
        m.put("token_endpoint_auth_methods_supported", auth);
        m.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("revocation_endpoint_auth_methods_supported", auth);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("introspection_endpoint_auth_methods_supported", confidential);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("require_pushed_authorization_requests", false);
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "sid", "azp", "at_hash", "idp",
                "email", "email_verified", "name"));
        m.put("acr_values_supported", Arrays.stream(Acr.values()).map(Acr::wireName).toList());
        m.put("claims_parameter_supported", false);
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        m.put("backchannel_logout_supported", false);
        m.put("frontchannel_logout_supported", false);
        m.put("latchkey_revocation_feed_endpoint", issuer + OidcPaths.REVOCATION_FEED);
        try {
            this.document = json.writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/.well-known/openid-configuration", this::serve);
        r.get("/.well-known/oauth-authorization-server", this::serve);
    }

    void serve(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType("application/json").result(document);
    }
}
