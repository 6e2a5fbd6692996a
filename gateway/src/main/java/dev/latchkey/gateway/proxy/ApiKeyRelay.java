package dev.latchkey.gateway.proxy;

import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.sdk.apikey.ApiKeyExchanger;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A non-browser request to a proxied API may carry an API key ({@code Authorization: Bearer lk_…} or
 * {@code X-API-Key: lk_…}) instead of the session cookie: the gateway exchanges it at the server as its own client
 * (RFC 8693; the gateway's client needs the token-exchange grant), caches the token by the key's hash
 * ({@link ApiKeyExchanger}), and relays it as {@code Bearer} exactly like a session's token. Neither header reaches
 * the upstream. Such a request uses no cookie, so the CSRF check does not apply to it.
 */
public final class ApiKeyRelay {
    public static final String HEADER = "X-API-Key";
    private final ApiKeyExchanger exchanger;

    public ApiKeyRelay(ApiKeyExchanger exchanger) {
        this.exchanger = Objects.requireNonNull(exchanger, "exchanger");
    }

    /** The API key the request presents, if any; a request with two credentials is malformed. */
    public static Optional<String> presented(Context ctx) {
        List<String> header = Collections.list(ctx.req().getHeaders(HEADER));
        List<String> authorization = Collections.list(ctx.req().getHeaders("Authorization"));
        Optional<String> bearer = authorization.size() == 1 && authorization.get(0).regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(authorization.get(0).substring(7).strip()).filter(ApiKeyExchanger::isApiKey) : Optional.empty();
        if (header.isEmpty()) {
            return bearer;
        }
        if (header.size() > 1 || !authorization.isEmpty()) {
            throw new GatewayException(GatewayError.MALFORMED_REQUEST, "more than one credential");
        }
        return Optional.of(header.get(0).strip());
    }

    /** The access token for {@code key}: 401 {@code api_key_invalid} when the server refuses it, 503 when it cannot be asked. */
    public ReverseProxy.Identity identity(String key) {
        try {
            return new ReverseProxy.Identity(Optional.of(exchanger.accessToken(key)), Optional.empty());
        } catch (TokenRejectedException e) {
            throw e.reason() == RejectReason.API_KEY_REFUSED
                    ? new GatewayException(GatewayError.API_KEY_INVALID, "api key refused")
                    : new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "api key exchange: " + e.getMessage());
        }
    }

    /** After the upstream answered 401: the cached token may be revoked; exchange once more. */
    public Optional<ReverseProxy.Identity> retry(String key) {
        exchanger.forget(key);
        try {
            return Optional.of(identity(key));
        } catch (GatewayException e) {
            return Optional.empty();
        }
    }
}
