package dev.latchkey.core.oauth.token;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.apikey.ApiKeyExchange;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.oauth.authorize.AuthorizationCodeStore;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.core.session.SessionStore;
import dev.latchkey.core.session.TokenGrant;
import dev.latchkey.core.token.AccessTokenRequest;
import dev.latchkey.core.token.AccessTokens;
import dev.latchkey.core.token.IssuedAccessToken;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import dev.latchkey.core.org.OrgSwitch;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The token endpoint's grants (RFC 6749 §4.1.3, §6, §4.4; OIDC Core §3.1.3). The client is already
 * authenticated; every refusal is an OAuth error code.
 */
public final class TokenService {
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final AuthorizationCodeStore codes;
    private final SessionService sessions;
    private final OrgSwitch orgSwitch;
    private final SessionStore sessionStore;
    private final UserStore users;
    private final AccessTokens accessTokens;
    private final IdTokens idTokens;
    private final Clock clock;
    private final String issuer;
    private final dev.latchkey.core.org.ServiceAccounts serviceAccounts;

    public TokenService(AuthorizationCodeStore codes, SessionService sessions, SessionStore sessionStore, UserStore users,
                        AccessTokens accessTokens, IdTokens idTokens, Clock clock, String issuer) {
        this(codes, sessions, sessionStore, users, accessTokens, idTokens, clock, issuer, null);
    }

    /** @param orgSwitch switches a refresh to another organization ({@code organization} parameter); null: refused */
    public TokenService(AuthorizationCodeStore codes, SessionService sessions, SessionStore sessionStore, UserStore users,
                        AccessTokens accessTokens, IdTokens idTokens, Clock clock, String issuer, OrgSwitch orgSwitch) {
        this(codes, sessions, sessionStore, users, accessTokens, idTokens, clock, issuer, orgSwitch, null);
    }

    /** @param serviceAccounts makes the {@code client_credentials} tokens of a service account's clients that account's; null: none */
    public TokenService(AuthorizationCodeStore codes, SessionService sessions, SessionStore sessionStore, UserStore users,
                        AccessTokens accessTokens, IdTokens idTokens, Clock clock, String issuer, OrgSwitch orgSwitch,
                        dev.latchkey.core.org.ServiceAccounts serviceAccounts) {
        this.orgSwitch = orgSwitch;
        this.serviceAccounts = serviceAccounts;
        this.codes = Objects.requireNonNull(codes, "codes");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.sessionStore = Objects.requireNonNull(sessionStore, "sessionStore");
        this.users = Objects.requireNonNull(users, "users");
        this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
        this.idTokens = Objects.requireNonNull(idTokens, "idTokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    private ApiKeyExchange tokenExchange;

    /** Enables the RFC 8693 grant (API keys); set once, while the server is being built. */
    public TokenService withTokenExchange(ApiKeyExchange exchange) {
        this.tokenExchange = Objects.requireNonNull(exchange, "exchange");
        return this;
    }

    public TokenResponse exchange(Client client, RawParams form, RequestContext ctx) {
        Grant grant = Grant.parse(form);
        return switch (grant) {
            case Grant.AuthorizationCode g -> authorizationCode(client, g, ctx);
            case Grant.RefreshToken g -> refresh(client, g, ctx);
            case Grant.ClientCredentials g -> clientCredentials(client, g);
            case Grant.TokenExchange g -> {
                if (tokenExchange == null) {
                    throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_GRANT_TYPE, "This server does not exchange tokens.", "no token exchange");
                }
                yield tokenExchange.exchange(client, g, ctx);
            }
        };
    }

    private TokenResponse authorizationCode(Client client, Grant.AuthorizationCode g, RequestContext ctx) {
        requireGrant(client, GrantType.AUTHORIZATION_CODE);
        if (!VERIFIER.matcher(g.codeVerifier()).matches()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, "The code_verifier is malformed (43-128 unreserved characters).",
                    "malformed verifier");
        }
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(Digests.sha256(g.codeVerifier()));
        AuthorizationCodeStore.Redemption r = codes.redeem(Digests.sha256(g.code()), client.clientId(), g.redirectUri(), challenge,
                clock.instant(), code -> {
                    User user = users.findById(code.userId()).filter(User::active)
                            .orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_GRANT, "user gone or disabled since the code was issued"));
                    Session browser = sessionStore.findActive(code.browserSessionId(), clock.instant())
                            .orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, "The sign-in session has ended.",
                                    "browser session ended before code redemption"));
                    return sessions.prepareTokenSession(user, client.clientId(), code.scope(), code.amr(), browser,
                            client.allows(GrantType.REFRESH_TOKEN), code.orgId(), ctx);
                });
        return switch (r) {
            case AuthorizationCodeStore.Redeemed(var code, var prepared) -> {
                TokenGrant grant = prepared.toGrant();
                Set<String> scopes = Scopes.parse(code.scope());
                IssuedAccessToken at = userAccessToken(client, grant, code.scope());
                String idToken = null;
                if (scopes.contains(Scopes.OPENID)) {
                    User user = users.findById(code.userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_GRANT, "user gone"));
                    idToken = idTokens.issue(user, client.clientId(), client.idTokenSignedResponseAlg(), code.nonce(), code.authTime(), code.amr(),
                            code.browserSessionId().toString(), scopes, at.value());
                }
                yield new TokenResponse(at.value(), at.expiresInSeconds(), grant.refreshToken(), idToken, code.scope());
            }
            case AuthorizationCodeStore.Replayed replayed -> throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT,
                    "The authorization code was already used; tokens issued with it were revoked.",
                    "code replay: grant session " + replayed.grantSessionId() + " revoked");
            case AuthorizationCodeStore.Refused(String reason) -> throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT,
                    g.redirectUri() == null
                            ? "The authorization code is invalid, expired, or was issued for another client or verifier; a code whose "
                                    + "authorization request carried a redirect_uri needs the same redirect_uri here (RFC 6749 §4.1.3)."
                            : "The authorization code is invalid, expired, or was issued for another client, redirect URI or verifier.", reason);
        };
    }

    private TokenResponse refresh(Client client, Grant.RefreshToken g, RequestContext ctx) {
        requireGrant(client, GrantType.REFRESH_TOKEN);
        TokenGrant grant;
        try {
            if (g.organization() != null && orgSwitch == null) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "This server does not switch organizations.", "no org switch");
            }
            grant = g.organization() == null ? sessions.refresh(g.refreshToken(), client.clientId(), ctx)
                    : orgSwitch.switchTo(g.refreshToken(), client.clientId(), OrgSwitch.parseOrg(g.organization()), ctx);
        } catch (LatchkeyException e) {
            if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.SERVICE_UNAVAILABLE || e.code() == ErrorCode.INVALID_REQUEST) {
                throw e;
            }
            if (e.code() == ErrorCode.NOT_A_MEMBER || e.code() == ErrorCode.VALIDATION_FAILED) {
                // the grant is fine (and still usable): the organization asked for is not one of the user's
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, e.publicMessage(), "refresh: " + e.getMessage());
            }
            throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, e.publicMessage(), "refresh: " + e.getMessage());
        }
        String scope = grant.subject().scope();
        if (g.scope() != null) {
            Set<String> asked = Scopes.parse(g.scope());
            Set<String> granted = Scopes.parse(scope);
            if (asked == null || granted == null || !granted.containsAll(asked)) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_SCOPE, "A refresh can only narrow the granted scope.", "scope widening");
            }
            scope = Scopes.format(asked);
        }
        IssuedAccessToken at = userAccessToken(client, grant, scope);
        return new TokenResponse(at.value(), at.expiresInSeconds(), grant.refreshToken(), null, scope);
    }

    private TokenResponse clientCredentials(Client client, Grant.ClientCredentials g) {
        requireGrant(client, GrantType.CLIENT_CREDENTIALS);
        if (client.isPublic()) {
            throw LatchkeyException.of(ErrorCode.UNAUTHORIZED_CLIENT, "public client asked for client_credentials");
        }
        if (TokenPrincipal.looksLikeUserId(client.clientId())) {
            // registered before ids of that form were refused: its sub could be read as a user's
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHORIZED_CLIENT, "This client's id looks like a user id, so its tokens could be "
                    + "taken for a user's; register it again under another id.", "client_credentials for uuid-shaped client " + client.clientId());
        }
        Set<String> scopes;
        if (g.scope() == null) {
            scopes = new LinkedHashSet<>(client.scopes());
            scopes.removeAll(Set.of(Scopes.OPENID, Scopes.OFFLINE_ACCESS, "profile", "email"));
        } else {
            scopes = Scopes.parse(g.scope());
            if (scopes == null || !client.scopes().containsAll(scopes) || scopes.contains(Scopes.OPENID) || scopes.contains(Scopes.OFFLINE_ACCESS)) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_SCOPE, "The scope is not allowed for this client.", "cc scope " + g.scope());
            }
        }
        List<String> audience;
        if (g.resource() != null) {
            if (!client.audiences().contains(g.resource())) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_TARGET, "The requested audience is not allowed for this client.",
                        "cc audience " + g.resource());
            }
            audience = List.of(g.resource());
        } else {
            audience = client.audiences().isEmpty() ? List.of(issuer) : client.audiences();
        }
        String scope = Scopes.format(scopes);
        java.util.Optional<TokenPrincipal> owner = serviceAccounts == null ? java.util.Optional.empty()
                : serviceAccounts.principalForClient(client.clientId());
        IssuedAccessToken at = accessTokens.issue(owner.isPresent()
                ? new AccessTokenRequest(owner.get(), audience, client.clientId(), scope, client.jwtTypedAccessTokens())
                : AccessTokenRequest.forClient(client.clientId(), audience, scope, client.jwtTypedAccessTokens()));
        return new TokenResponse(at.value(), at.expiresInSeconds(), null, null, scope.isEmpty() ? null : scope);
    }

    private IssuedAccessToken userAccessToken(Client client, TokenGrant grant, String scope) {
        List<String> audience = client.audiences().isEmpty() ? List.of(issuer) : client.audiences();
        return accessTokens.issue(AccessTokenRequest.forUser(grant.subject(), audience, client.clientId(), scope, client.jwtTypedAccessTokens()));
    }

    private static void requireGrant(Client client, GrantType g) {
        if (!client.allows(g)) {
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHORIZED_CLIENT, "This client may not use the " + g.wireName() + " grant.",
                    client.clientId() + " lacks " + g.wireName());
        }
    }
}
