package dev.latchkey.core.oauth.token;

import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/** A token request, parsed by grant type (RFC 6749 §4.1.3, §6, §4.4). */
public sealed interface Grant permits Grant.AuthorizationCode, Grant.RefreshToken, Grant.ClientCredentials {

    record AuthorizationCode(String code, String redirectUri, String codeVerifier) implements Grant {
        @Override
        public String toString() {
            return "AuthorizationCode[]";
        }
    }

    /**
     * {@code organization} (a Latchkey extension, docs/authorization.md): switch the grant to another of
     * the user's organizations while refreshing.
     */
    record RefreshToken(String refreshToken, String scope, String organization) implements Grant {
        @Override
        public String toString() {
            return "RefreshToken[]";
        }
    }

    record ClientCredentials(String scope, String resource) implements Grant {
    }

    static Grant parse(RawParams p) {
        String type = p.get("grant_type");
        if (type == null) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The grant_type parameter is missing.", "no grant_type");
        }
        return switch (type) {
            case "authorization_code" -> new AuthorizationCode(required(p, "code"), p.get("redirect_uri"), required(p, "code_verifier"));
            case "refresh_token" -> new RefreshToken(required(p, "refresh_token"), p.get("scope"), p.get("organization"));
            case "client_credentials" -> new ClientCredentials(p.get("scope"), p.get("resource") != null ? p.get("resource") : p.get("audience"));
            default -> throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_GRANT_TYPE,
                    "Supported grant types: authorization_code, refresh_token, client_credentials.", "grant_type " + type);
        };
    }

    private static String required(RawParams p, String name) {
        String v = p.get(name);
        if (v == null) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The " + name + " parameter is missing.", "missing " + name);
        }
        return v;
    }
}
