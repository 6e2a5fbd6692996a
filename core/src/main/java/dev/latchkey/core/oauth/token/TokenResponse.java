package dev.latchkey.core.oauth.token;

/**
 * A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3; RFC 8693 §2.2.1 adds {@code issuedTokenType});
 * null members are omitted.
 */
public record TokenResponse(String accessToken, long expiresIn, String refreshToken, String idToken, String scope, String issuedTokenType) {
    public TokenResponse(String accessToken, long expiresIn, String refreshToken, String idToken, String scope) {
        this(accessToken, expiresIn, refreshToken, idToken, scope, null);
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + "]";
    }
}
