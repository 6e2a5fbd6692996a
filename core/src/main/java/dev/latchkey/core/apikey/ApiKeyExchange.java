package dev.latchkey.core.apikey;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.oauth.token.Grant;
import dev.latchkey.core.oauth.token.TokenResponse;
import dev.latchkey.core.token.AccessTokenRequest;
import dev.latchkey.core.token.AccessTokens;
import dev.latchkey.core.token.IssuedAccessToken;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The RFC 8693 grant for API keys: an authenticated confidential client that may use token exchange presents
 * {@code subject_token=lk_…} with {@code subject_token_type=}{@value #API_KEY_TOKEN_TYPE} and gets a short-lived
 * access token ({@code issued_token_type} {@value #ACCESS_TOKEN_TYPE}, §2.2.1) minted by the one minter for the
 * key's owner: {@code sub} the user, {@code sid} the key's id (revoking the key appends a {@code session}
 * revocation for it), {@code ver} the user's current security version, and no {@code auth_time amr acr} (nobody
 * signed in: a token from a key never satisfies a multi-factor requirement). Its organization is the key's (the
 * owner must still be a member), its permissions the owner's current ones there, narrowed to the key's when it
 * names some (then without {@code roles}, which would claim more than the key may). A service account's key
 * mints the account's token ({@code sub} {@code sa_<id>}, {@code sub_type} {@code service_account}) from
 * {@code ServiceAccounts#principal} (its current roles and permissions, narrowed likewise), with {@code sid} the
 * key's id: revoking the key appends a {@code session} revocation of that id, which SDK verifiers apply to it.
 */
public final class ApiKeyExchange {
    public static final String API_KEY_TOKEN_TYPE = "urn:latchkey:params:oauth:token-type:api-key";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final ApiKeys keys;
    private final UserStore users;
    private final AccessTokens minter;
    private final String issuer;
    private final Duration ttl;

    private final dev.latchkey.core.org.ServiceAccounts serviceAccounts;
    private final AuditSink audit;
    private final Clock clock;

    /**
     * @param serviceAccounts whose principals a service account's key mints (null: users' keys only)
     * @param audit           where refused exchanges are recorded ({@code api_key_refused})
     */
    public ApiKeyExchange(ApiKeys keys, UserStore users, AccessTokens minter, String issuer, Duration ttl,
                          dev.latchkey.core.org.ServiceAccounts serviceAccounts, AuditSink audit, Clock clock) {
        this.serviceAccounts = serviceAccounts;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.users = Objects.requireNonNull(users, "users");
        this.minter = Objects.requireNonNull(minter, "minter");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(minter.ttl()) > 0) {
            throw new IllegalArgumentException("exchanged tokens cannot outlive access tokens");
        }
    }

    /**
     * Exchanges the presented key. A refused key ({@code invalid_grant}) is audited as {@code api_key_refused} with the
     * client, the key's public id when the text parses as a key (never the text itself) and the reason the log gets.
     */
    public TokenResponse exchange(Client client, Grant.TokenExchange g, RequestContext ctx) {
        if (!client.allows(GrantType.TOKEN_EXCHANGE) || client.isPublic()) {
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHORIZED_CLIENT, "This client may not use the "
                    + GrantType.TOKEN_EXCHANGE.wireName() + " grant.", client.clientId() + " lacks token exchange");
        }
        if (g.subjectTokenType() == null) {
            throw badRequest("The subject_token_type parameter is missing (an API key: " + API_KEY_TOKEN_TYPE + ").", "no subject_token_type");
        }
        if (!API_KEY_TOKEN_TYPE.equals(g.subjectTokenType())) {
            throw badRequest("This server exchanges API keys only: subject_token_type must be " + API_KEY_TOKEN_TYPE + ".",
                    "subject_token_type " + g.subjectTokenType());
        }
        if (g.actorToken() != null) {
            throw badRequest("Delegation (actor_token) is not supported.", "actor_token");
        }
        if (g.requestedTokenType() != null && !ACCESS_TOKEN_TYPE.equals(g.requestedTokenType())) {
            throw badRequest("Only an access token can be requested (" + ACCESS_TOKEN_TYPE + ").", "requested " + g.requestedTokenType());
        }
        try {
            return exchangeKey(client, g);
        } catch (LatchkeyException e) {
            if (e.code() == ErrorCode.INVALID_GRANT) {
                audit.record(AuditEvent.of(AuditType.API_KEY_REFUSED, clock.instant(), ctx).client(client.clientId())
                        .subject(PresentedApiKey.parse(g.subjectToken()).map(PresentedApiKey::publicId).orElse(null))
                        .detail(e.getMessage()).build());
            }
            throw e;
        }
    }

    private TokenResponse exchangeKey(Client client, Grant.TokenExchange g) {
        ApiKey key = keys.authenticate(g.subjectToken());
        TokenPrincipal principal = switch (key.owner()) {
            case ApiKeyOwner.User u -> {
                User user = users.findById(u.userId()).filter(User::active).orElseThrow(() -> LatchkeyException.withMessage(
                        ErrorCode.INVALID_GRANT, ApiKeys.REFUSED, "api key " + key.publicId() + ": owner gone or disabled"));
                yield new TokenPrincipal.User(user.id(), key.id(), key.orgId() == null ? null : key.orgId().toString(), List.of(),
                        user.securityVersion(), null, null);
            }
            case ApiKeyOwner.ServiceAccount sa -> serviceAccountPrincipal(key, sa);
        };
        String scope = scope(key, g.scope());
        List<String> audience = audience(client, g.resource());
        IssuedAccessToken at = minter.issue(new AccessTokenRequest(principal, audience, client.clientId(), scope.isEmpty() ? null : scope,
                client.jwtTypedAccessTokens()), narrow(key), ttl);
        return new TokenResponse(at.value(), at.expiresInSeconds(), null, null, scope.isEmpty() ? null : scope, ACCESS_TOKEN_TYPE);
    }

    /**
     * The account's current principal (refused like every bad key while it is disabled or gone, or if it moved
     * out of the key's organization), narrowed to the key's permissions when it names some (then without roles),
     * with {@code sid} the key's id so that revoking the key revokes the token through the feed.
     */
    private TokenPrincipal.ServiceAccount serviceAccountPrincipal(ApiKey key, ApiKeyOwner.ServiceAccount owner) {
        if (serviceAccounts == null) {
            throw new IllegalStateException("service-account API keys need ServiceAccounts");
        }
        TokenPrincipal.ServiceAccount p;
        try {
            p = serviceAccounts.principal(owner.accountId());
        } catch (LatchkeyException e) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, ApiKeys.REFUSED,
                    "api key " + key.publicId() + ": service account gone or disabled");
        }
        if (key.orgId() == null || !key.orgId().toString().equals(p.org())) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, ApiKeys.REFUSED,
                    "api key " + key.publicId() + ": service account not in the key's organization");
        }
        if (key.permissions() == null) {
            return p.viaKey(key.id(), p.roles(), p.permissions());
        }
        return p.viaKey(key.id(), List.of(), p.permissions().stream().filter(key.permissions()::contains).toList());
    }

    /** The asked scope, which must be within the key's; the key's when none is asked for. */
    private static String scope(ApiKey key, String asked) {
        if (asked == null) {
            return Scopes.format(new LinkedHashSet<>(key.scopes()));
        }
        Set<String> s = Scopes.parse(asked);
        if (s == null || !key.scopes().containsAll(s)) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_SCOPE, "The scope is not within the API key's scopes.", "api key scope " + asked);
        }
        return Scopes.format(s);
    }

    /** As for the client's own tokens: a requested audience must be one of the client's; none: all of them (or the issuer). */
    private List<String> audience(Client client, String resource) {
        if (resource != null) {
            if (!client.audiences().contains(resource)) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_TARGET, "The requested audience is not allowed for this client.",
                        "exchange audience " + resource);
            }
            return List.of(resource);
        }
        return client.audiences().isEmpty() ? List.of(issuer) : client.audiences();
    }

    /** The organization claims the minter read (current membership), limited to the key's. */
    private static UnaryOperator<TokenPrincipal.User> narrow(ApiKey key) {
        return u -> {
            if (key.orgId() == null) {
                return u.withAccess(null, List.of(), List.of());
            }
            if (!key.orgId().toString().equals(u.org())) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, "The API key's owner is no longer a member of its organization.",
                        "api key " + key.publicId() + ": owner not a member of " + key.orgId());
            }
            if (key.permissions() == null) {
                return u;
            }
            return u.withAccess(u.org(), List.of(), u.permissions().stream().filter(key.permissions()::contains).toList());
        };
    }

    private static LatchkeyException badRequest(String message, String detail) {
        return LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, message, detail);
    }
}
