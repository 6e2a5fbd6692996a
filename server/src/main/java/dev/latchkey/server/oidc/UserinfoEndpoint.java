package dev.latchkey.server.oidc;

import dev.latchkey.core.account.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.oauth.token.TokenInspection;
import dev.latchkey.server.cache.CachedSessions;
import dev.latchkey.server.http.Endpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * UserInfo (OIDC Core §5.3): GET or POST with the access token in the Authorization header only
 * (never the query string or body: tokens in URLs end up in logs). Claims follow the token's scopes.
 */
public final class UserinfoEndpoint implements Endpoints {
    private final TokenInspection inspection;
    private final CachedSessions users;
    private final OAuthResponses responses;

    public UserinfoEndpoint(TokenInspection inspection, CachedSessions users, OAuthResponses responses) {
        this.inspection = inspection;
        this.users = users;
        this.responses = responses;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(OidcPaths.USERINFO, this::userinfo);
        r.post(OidcPaths.USERINFO, this::userinfo);
        r.options(OidcPaths.USERINFO, Cors.preflight("GET, POST"));
    }

    void userinfo(Context ctx) {
        Cors.allowAnyOrigin(ctx);
        if (ctx.queryParam("access_token") != null) {
            challenge(ctx, 400, "invalid_request", "Send the access token in the Authorization header, never in the URL.");
            return;
        }
        Enumeration<String> headers = ctx.req().getHeaders("Authorization");
        String h = headers != null && headers.hasMoreElements() ? headers.nextElement() : null;
        if (h == null || headers.hasMoreElements() || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"latchkey\"");
            responses.write(ctx, 401, Map.of("error", "invalid_token", "error_description", "A Bearer access token is required."));
            return;
        }
        Optional<TokenInspection.ActiveAccess> a = inspection.activeAccessToken(h.substring(7).strip());
        if (a.isEmpty() || a.get().session() == null) {
            challenge(ctx, 401, "invalid_token", "The access token is invalid, expired or revoked.");
            return;
        }
        Set<String> scopes = Scopes.parse(a.get().claims().scope());
        if (scopes == null || !scopes.contains(Scopes.OPENID)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"openid\"");
            responses.write(ctx, 403, Map.of("error", "insufficient_scope", "error_description", "The token was not issued for OpenID Connect."));
            return;
        }
        User u = users.user(a.get().session().userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_TOKEN, "user gone"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", u.id().toString());
        if (scopes.contains("profile")) {
            if (u.name() != null) {
                out.put("name", u.name());
            }
            out.put("updated_at", u.updatedAt().getEpochSecond());
        }
        if (scopes.contains("email")) {
            out.put("email", u.email().value());
            out.put("email_verified", u.emailVerified());
        }
        // the chosen organization and what the user holds there, as the access token says (docs/authorization.md)
        var claims = a.get().claims();
        if (claims.org() != null) {
            out.put("org", claims.org());
            out.put("roles", claims.roles());
            out.put("permissions", claims.permissions());
        }
        responses.ok(ctx, out);
    }

    private void challenge(Context ctx, int status, String error, String description) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"latchkey\", error=\"" + error + "\", error_description=\"" + description + "\"");
        responses.write(ctx, status, Map.of("error", error, "error_description", description));
    }
}
