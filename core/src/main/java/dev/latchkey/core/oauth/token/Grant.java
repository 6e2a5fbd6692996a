package dev.latchkey.core.oauth.token;

import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/** A token request, parsed by grant type (RFC 6749 §4.1.3, §6, §4.4). */
public sealed interface Grant permits Grant.AuthorizationCode, Grant.RefreshToken, Grant.ClientCredentials, Grant.TokenExchange {

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

    /**
     * RFC 8693 §2.1 token exchange: {@code subject_token} (an API key), its {@code subject_token_type}, and the
     * optional {@code scope}, {@code resource}/{@code audience}, {@code requested_token_type} and {@code actor_token}.
     */
    record TokenExchange(String subjectToken, String subjectTokenType, String scope, String resource, String requestedTokenType,
                         String actorToken) implements Grant {
        @Override
        public String toString() {
            return "TokenExchange[" + subjectTokenType + "]";
        }
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
            case "urn:ietf:params:oauth:grant-type:token-exchange" -> new TokenExchange(required(p, "subject_token"), p.get("subject_token_type"),
                    p.get("scope"), p.get("resource") != null ? p.get("resource") : p.get("audience"), p.get("requested_token_type"),
                    p.get("actor_token"));
            default -> throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_GRANT_TYPE,
                    "Supported grant types: authorization_code, refresh_token, client_credentials, "
                            + "urn:ietf:params:oauth:grant-type:token-exchange.", "grant_type " + type);
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
