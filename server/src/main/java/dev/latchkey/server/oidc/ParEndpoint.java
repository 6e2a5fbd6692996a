package dev.latchkey.server.oidc;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.authorize.AuthorizationError;
import dev.latchkey.core.oauth.authorize.AuthorizationService;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.server.http.Endpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pushed authorization requests (RFC 9126 §2): validate now, hand back a one-time request_uri. */
public final class ParEndpoint implements Endpoints {
    private final OAuthRequests requests;
    private final OAuthResponses responses;
    private final ClientAuthenticator authenticator;
    private final AuthorizationService service;

    public ParEndpoint(OAuthRequests requests, OAuthResponses responses, ClientAuthenticator authenticator, AuthorizationService service) {
        this.requests = requests;
        this.responses = responses;
        this.authenticator = authenticator;
        this.service = service;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(OidcPaths.PAR, this::push);
    }

    void push(Context ctx) {
        try {
            RawParams form = requests.form(ctx);
            Client client = authenticator.authenticate(OAuthRequests.clientCredentials(ctx, form));
            switch (service.push(client, form)) {
                case AuthorizationService.PushedOk(String uri, long expiresIn) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("request_uri", uri);
                    body.put("expires_in", expiresIn);
                    responses.write(ctx, 201, body);
                }
                case AuthorizationService.PushedFailed(AuthorizationError e) -> responses.error(ctx,
                        LatchkeyException.withMessage(e.code(), e.description(), "par: " + e.detail()));
            }
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
        }
    }
}
