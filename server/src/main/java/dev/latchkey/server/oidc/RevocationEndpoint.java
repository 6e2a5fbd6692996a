package dev.latchkey.server.oidc;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.oauth.token.TokenInspection;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Token revocation (RFC 7009): 200 whether or not the token was known. */
public final class RevocationEndpoint implements Endpoints {
    private final OAuthRequests requests;
    private final OAuthResponses responses;
    private final ClientAuthenticator authenticator;
    private final TokenInspection inspection;
    private final Requests http;

    public RevocationEndpoint(OAuthRequests requests, OAuthResponses responses, ClientAuthenticator authenticator, TokenInspection inspection,
                              Requests http) {
        this.requests = requests;
        this.responses = responses;
        this.authenticator = authenticator;
        this.inspection = inspection;
        this.http = http;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(OidcPaths.REVOKE, this::revoke);
        r.options(OidcPaths.REVOKE, Cors.preflight("POST"));
    }

    void revoke(Context ctx) {
        Cors.allowAnyOrigin(ctx);
        try {
            RawParams form = requests.form(ctx);
            Client client = authenticator.authenticate(OAuthRequests.clientCredentials(ctx, form));
            OAuthRequests.rejectDuplicates(form, "token", "token_type_hint");
            inspection.revoke(client, form.get("token"), form.get("token_type_hint"), http.context(ctx));
            ctx.header("Cache-Control", "no-store");
            ctx.status(200).result("");
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
        }
    }
}
