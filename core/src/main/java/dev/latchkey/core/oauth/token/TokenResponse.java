package dev.latchkey.core.oauth.token;

/** A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3); null members are omitted. */
public record TokenResponse(String accessToken, long expiresIn, String refreshToken, String idToken, String scope) {
    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + "]";
    }
}
