package dev.latchkey.sdk.http;

import dev.latchkey.sdk.apikey.ApiKeyExchanger;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a bearer token from the {@code Authorization} request header field only (RFC 6750 §2.1) and verifies
 * it. Form-body and query-parameter tokens (§2.2, §2.3) are not accepted: a request carrying
 * {@code access_token} in its query is an {@code invalid_request}, as is one with more than one
 * {@code Authorization} header (§3.1: "uses more than one method" / "repeats the same parameter").
 */
public final class BearerAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(BearerAuthenticator.class);
    /** The header an API key may come in instead of {@code Authorization: Bearer lk_…}. */
    public static final String API_KEY_HEADER = "X-API-Key";
    private final TokenVerifier verifier;
    private final ApiKeyExchanger apiKeys;

    public BearerAuthenticator(TokenVerifier verifier) {
        this(verifier, null);
    }

    /**
     * @param apiKeys exchanges API keys ({@code Bearer lk_…} or {@value #API_KEY_HEADER}) for access tokens, which are then
     *                verified like any other; null: API keys are not accepted (they are refused as malformed tokens)
     */
    public BearerAuthenticator(TokenVerifier verifier, ApiKeyExchanger apiKeys) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.apiKeys = apiKeys;
    }

    /**
     * As {@link #authenticate(List, String)}, with the values of the {@value #API_KEY_HEADER} header: an API key there
     * (alone, not beside an {@code Authorization} header) is exchanged and its token verified.
     */
    public Authentication authenticate(List<String> authorization, List<String> apiKeyHeader, String query) {
        if (apiKeys == null || apiKeyHeader.isEmpty()) {
            return authenticate(authorization, query);
        }
        if (apiKeyHeader.size() > 1 || !authorization.isEmpty()) {
            return new Authentication.InvalidRequest("The request carries more than one credential");
        }
        String key = apiKeyHeader.get(0).strip();
        if (!ApiKeyExchanger.isApiKey(key) || !isB64Token(key)) {
            return new Authentication.InvalidRequest("The X-API-Key header is not an API key");
        }
        return viaApiKey(key);
    }

    private Authentication viaApiKey(String key) {
        try {
            String token = apiKeys.accessToken(key);
            try {
                return new Authentication.Authenticated(verifier.verify(token));
            } catch (TokenRejectedException e) {
                if (e.reason() != RejectReason.REVOKED && e.reason() != RejectReason.EXPIRED) {
                    throw e;
                }
                // the cached token was revoked (e.g. the owner's security version moved on) or ran out: exchange once more
                apiKeys.forget(key);
                return new Authentication.Authenticated(verifier.verify(apiKeys.accessToken(key)));
            }
        } catch (TokenRejectedException e) {
            if (e.reason() == RejectReason.REVOKED) {
                apiKeys.forget(key);
            }
            log.info("API key rejected: {}", e.reason());
            return new Authentication.Rejected(e.reason());
        }
    }

    /**
     * @param authorization every value of the {@code Authorization} header, in order
     * @param query         the raw query string, or null
     */
    public Authentication authenticate(List<String> authorization, String query) {
        if (hasAccessTokenParameter(query)) {
            return new Authentication.InvalidRequest("Access tokens are accepted only in the Authorization header");
        }
        if (authorization.size() > 1) {
            return new Authentication.InvalidRequest("The request has more than one Authorization header");
        }
        if (authorization.isEmpty()) {
            return new Authentication.Anonymous();
        }
        String value = authorization.get(0).strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer")) {
            return new Authentication.Anonymous(); // another scheme: no bearer credentials (§3.1)
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (!isB64Token(token)) {
            return new Authentication.InvalidRequest("The Authorization header is not a valid Bearer credential");
        }
        if (apiKeys != null && ApiKeyExchanger.isApiKey(token)) {
            return viaApiKey(token);
        }
        try {
            return new Authentication.Authenticated(verifier.verify(token));
        } catch (TokenRejectedException e) {
            if (e.reason().isTransient()) {
                log.warn("bearer token not verifiable now: {}", e.getMessage());
            } else {
                log.info("bearer token rejected: {}", e.getMessage());
            }
            return new Authentication.Rejected(e.reason());
        }
    }

    /** RFC 6750 §2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int i = 0;
        while (i < s.length() && isB64Char(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        return i == s.length();
    }

    private static boolean isB64Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static boolean hasAccessTokenParameter(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.equals("access_token") || pair.startsWith("access_token=")) {
                return true;
            }
        }
        return false;
    }
}
