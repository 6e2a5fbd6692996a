package dev.latchkey.server.oidc;

import dev.latchkey.core.apikey.ApiKeyExchange;
import dev.latchkey.core.apikey.PresentedApiKey;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.oauth.token.TokenResponse;
import dev.latchkey.core.oauth.token.TokenService;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The token endpoint (RFC 6749 §3.2): authenticate the client, run the grant, answer JSON (to browser apps too: {@link Cors}). */
public final class TokenEndpoint implements Endpoints {
    private final OAuthRequests requests;
    private final OAuthResponses responses;
    private final ClientAuthenticator authenticator;
    private final TokenService tokens;
    private final Requests http;
    private final RateLimits rateLimits;
    private final LatchkeyConfig.Abuse abuse;

    public TokenEndpoint(OAuthRequests requests, OAuthResponses responses, ClientAuthenticator authenticator, TokenService tokens, Requests http,
                         RateLimits rateLimits, LatchkeyConfig.Abuse abuse) {
        this.requests = requests;
        this.responses = responses;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.http = http;
        this.rateLimits = java.util.Objects.requireNonNull(rateLimits, "rateLimits");
        this.abuse = java.util.Objects.requireNonNull(abuse, "abuse");
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(OidcPaths.TOKEN, this::token);
        r.options(OidcPaths.TOKEN, Cors.preflight("POST"));
    }

    void token(Context ctx) {
        Cors.allowAnyOrigin(ctx);
        try {
            RawParams form = requests.form(ctx);
            OAuthRequests.rejectDuplicates(form, "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "resource", "audience",
                    "subject_token", "subject_token_type", "requested_token_type", "actor_token");
            Client client = authenticator.authenticate(OAuthRequests.clientCredentials(ctx, form));
            limitApiKeyExchanges(client, form);
            TokenResponse t = tokens.exchange(client, form, http.context(ctx));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", t.accessToken());
            if (t.issuedTokenType() != null) {
                body.put("issued_token_type", t.issuedTokenType());
            }
            body.put("token_type", "Bearer");
            body.put("expires_in", t.expiresIn());
            if (t.refreshToken() != null) {
                body.put("refresh_token", t.refreshToken());
            }
            if (t.idToken() != null) {
                body.put("id_token", t.idToken());
            }
            if (t.scope() != null) {
                body.put("scope", t.scope());
            }
            responses.ok(ctx, body);
        } catch (LatchkeyException e) {
            responses.error(ctx, e);
        }
    }

    /**
     * API-key exchanges (RFC 8693 with {@code subject_token_type} api-key) count, before the key is looked at, per
     * client and per client and key id ({@code rate_limited}, 429 with Retry-After): a client cannot hammer a key, or
     * try many, faster than the limits; refusals are audited by the grant ({@code api_key_refused}).
     */
    private void limitApiKeyExchanges(Client client, RawParams form) {
        if (!GrantType.TOKEN_EXCHANGE.wireName().equals(form.get("grant_type"))
                || !ApiKeyExchange.API_KEY_TOKEN_TYPE.equals(form.get("subject_token_type"))) {
            return;
        }
        rateLimits.check("api-key-exchange-client", client.clientId(), abuse.apiKeyExchangePerClient());
        String keyId = PresentedApiKey.parse(form.get("subject_token")).map(PresentedApiKey::publicId).orElse("-");
        rateLimits.check("api-key-exchange-key", client.clientId() + "/" + keyId, abuse.apiKeyExchangePerKey());
    }
}
