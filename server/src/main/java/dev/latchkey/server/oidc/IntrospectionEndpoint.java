package dev.latchkey.server.oidc;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.oauth.token.Introspection;
import dev.latchkey.core.oauth.token.TokenInspection;
import dev.latchkey.server.http.Endpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token introspection (RFC 7662) for authenticated confidential clients (resource servers). */
public final class IntrospectionEndpoint implements Endpoints {
    private final OAuthRequests requests;
    private final OAuthResponses responses;
    private final ClientAuthenticator authenticator;
    private final TokenInspection inspection;

    public IntrospectionEndpoint(OAuthRequests requests, OAuthResponses responses, ClientAuthenticator authenticator, TokenInspection inspection) {
        this.requests = requests;
        this.responses = responses;
        this.authenticator = authenticator;
        this.inspection = inspection;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(OidcPaths.INTROSPECT, this::introspect);
    }

    void introspect(Context ctx) {
        try {
            RawParams form = requests.form(ctx);
            Client client = authenticator.authenticate(OAuthRequests.clientCredentials(ctx, form));
            if (client.isPublic()) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "Only confidential clients may introspect tokens.", "public introspection");
            }
            OAuthRequests.rejectDuplicates(form, "token", "token_type_hint");
            Introspection i = inspection.introspect(client, form.get("token"), form.get("token_type_hint"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("active", i.active());
            if (i.active()) {
                put(body, "scope", i.scope());
                put(body, "client_id", i.clientId());
                put(body, "username", i.username());
                put(body, "token_type", i.tokenType());
                put(body, "exp", i.expiresAt() == null ? null : i.expiresAt().getEpochSecond());
                put(body, "iat", i.issuedAt() == null ? null : i.issuedAt().getEpochSecond());
                put(body, "sub", i.subject());
                put(body, "aud", i.audience() == null || i.audience().isEmpty() ? null : i.audience().size() == 1 ? i.audience().get(0) : i.audience());
                put(body, "iss", i.issuer());
                put(body, "jti", i.jti());
                put(body, "sid", i.sessionId());
                // a user's token or a client's own (client credentials): see TokenPrincipal
                put(body, "sub_type", i.subjectType() == null ? null : i.subjectType().wireName());
                put(body, "org", i.org());
                put(body, "roles", i.roles() == null || i.roles().isEmpty() ? null : i.roles());
                put(body, "permissions", i.permissions() == null || i.permissions().isEmpty() ? null : i.permissions());
                put(body, dev.latchkey.core.org.OrgCustomClaims.CLAIM, i.orgClaims() == null || i.orgClaims().isEmpty() ? null : i.orgClaims().values());
            }
            responses.ok(ctx, body);
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
