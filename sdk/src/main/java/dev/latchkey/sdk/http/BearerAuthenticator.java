package dev.latchkey.sdk.http;

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
    private final TokenVerifier verifier;

    public BearerAuthenticator(TokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
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
