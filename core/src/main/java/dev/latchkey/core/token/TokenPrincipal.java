package dev.latchkey.core.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.core.authn.Acr;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.org.OrgCustomClaims;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who an access token speaks for: a user (through one of their sessions), a client acting for
 * itself ({@code client_credentials}), or an organization's service account ({@link ServiceAccount}). This is the one place that decides how each shows in a
 * token's claims, and how a token is read back, so a machine token can never pass for a user's:
 *
 * <ul>
 *   <li>a <b>user</b> token: {@code sub} is the user id (a UUID), {@code sid} the grant's session,
 *       {@code ver} the user's security version, {@code auth_time}, {@code amr} and {@code acr} of the
 *       session's sign-in (RFC 9068 §2.2.1, with the values of the ID token: OIDC Core §2, RFC 8176),
 *       and {@code org}/{@code roles}/{@code permissions} of the chosen organization when the user has
 *       them (RFC 9068 §2.2.3.1 names {@code roles}; {@code permissions} are {@code resource:action}
 *       strings), and that organization's custom claims under {@code org_claims}; never {@code sub_type};</li>
 *   <li>a <b>client</b> token: {@code sub} is the client id (RFC 9068 §2.2: for grants without a
 *       resource owner, {@code sub} identifies the client), equal to {@code client_id}, plus
 *       {@value #SUB_TYPE}{@code : "}{@value #CLIENT_SUB_TYPE}{@code "}; never {@code sid},
 *       {@code ver}, {@code org} or {@code roles}.</li>
 * </ul>
 *
 * Reading ({@link #kindOf}): a token is a user's only when it carries a {@code sid} and no
 * {@code sub_type}; every other token is a client's. So a token without a session never counts as a
 * user's, whether or not it says {@code sub_type} (tokens of servers before this rule did not).
 *
 * <p>The two kinds of id cannot collide either: every user id is a UUID (UUIDv7, {@code users.id} is
 * of type {@code uuid}), and no client id may have the form of one ({@link #looksLikeUserId}), so
 * no user's {@code sub} can equal a client's.
 */
public sealed interface TokenPrincipal permits TokenPrincipal.User, TokenPrincipal.Client, TokenPrincipal.ServiceAccount {
    /** The claim that marks a machine token. */
    String SUB_TYPE = "sub_type";
    /** Its value. */
    String CLIENT_SUB_TYPE = "client";
    /** The value for a service account's token. */
    String SERVICE_ACCOUNT_SUB_TYPE = "service_account";

    /** The two kinds, with the names introspection answers ({@code sub_type}). */
    enum Kind {
        USER, CLIENT, SERVICE_ACCOUNT;

        public String wireName() {
            return switch (this) {
                case USER -> "user";
                case CLIENT -> CLIENT_SUB_TYPE;
                case SERVICE_ACCOUNT -> SERVICE_ACCOUNT_SUB_TYPE;
            };
        }
    }

    Kind kind();

    /** The {@code sub} claim. */
    String subject();

    /** Writes {@code sub} and the claims that belong to this kind of principal (and nothing of the other kind). */
    void writeTo(JWTClaimsSet.Builder claims);

    /**
     * A user signed in through a session: the grant's session, the user's organization, roles and
     * security version, and how the session was authenticated ({@code authTime} null only for tokens
     * built without one, e.g. in tests; {@code amr} in its stored form, null meaning {@code pwd}).
     */
    record User(UUID userId, UUID sessionId, String org, List<String> roles, int securityVersion, Instant authTime, String amr,
                List<String> permissions, OrgCustomClaims orgClaims)
            implements TokenPrincipal {
        public User {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sessionId, "sessionId: every user token belongs to a session");
            roles = roles == null ? List.of() : List.copyOf(roles);
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
            orgClaims = orgClaims == null || org == null ? OrgCustomClaims.NONE : orgClaims;
        }

        public User(UUID userId, UUID sessionId, String org, List<String> roles, int securityVersion, Instant authTime, String amr,
                    List<String> permissions) {
            this(userId, sessionId, org, roles, securityVersion, authTime, amr, permissions, OrgCustomClaims.NONE);
        }

        public User(UUID userId, UUID sessionId, String org, List<String> roles, int securityVersion, Instant authTime, String amr) {
            this(userId, sessionId, org, roles, securityVersion, authTime, amr, List.of());
        }

        /** The same user with the organization, roles and permissions of their chosen organization (none: all null/empty). */
        public User withAccess(String org, List<String> roles, List<String> permissions) {
            return new User(userId, sessionId, org, roles, securityVersion, authTime, amr, permissions);
        }

        /** The same, with the organization's custom claims ({@value OrgCustomClaims#CLAIM}). */
        public User withAccess(String org, List<String> roles, List<String> permissions, OrgCustomClaims claims) {
            return new User(userId, sessionId, org, roles, securityVersion, authTime, amr, permissions, claims);
        }

        public User(UUID userId, UUID sessionId, String org, List<String> roles, int securityVersion) {
            this(userId, sessionId, org, roles, securityVersion, null, null);
        }

        /** The user of a grant (a session with its refresh family, or a first-party session). */
        public static User of(TokenSubject s) {
            return new User(s.userId(), s.sessionId(), s.org(), s.roles(), s.securityVersion(), s.authTime(), s.amr());
        }

        /** The session's methods (RFC 8176), from the stored form. */
        public List<Amr> methods() {
            return Amr.parse(amr);
        }

        @Override
        public Kind kind() {
            return Kind.USER;
        }

        @Override
        public String subject() {
            return userId.toString();
        }

        @Override
        public void writeTo(JWTClaimsSet.Builder c) {
            c.subject(subject()).claim("sid", sessionId.toString()).claim("ver", securityVersion);
            if (authTime != null) {
                List<Amr> methods = methods();
                c.claim("auth_time", authTime.getEpochSecond())
                        .claim("amr", methods.stream().map(Amr::wireName).toList())
                        .claim("acr", Acr.of(methods).wireName());
            }
            if (org != null) {
                c.claim("org", org);
            }
            if (!roles.isEmpty()) {
                c.claim("roles", roles);
            }
            if (!permissions.isEmpty()) {
                c.claim("permissions", permissions);
            }
            if (!orgClaims.isEmpty()) {
                c.claim(OrgCustomClaims.CLAIM, orgClaims.values());
            }
        }
    }

    /** A client acting for itself (client credentials, RFC 6749 §4.4). */
    record Client(String clientId) implements TokenPrincipal {
        public Client {
            Objects.requireNonNull(clientId, "clientId");
            if (looksLikeUserId(clientId) || looksLikeServiceAccountId(clientId)) {
                throw new IllegalArgumentException("a client whose id looks like a user's or a service account's cannot be a token's subject: "
                        + clientId);
            }
        }

        @Override
        public Kind kind() {
            return Kind.CLIENT;
        }

        @Override
        public String subject() {
            return clientId;
        }

        @Override
        public void writeTo(JWTClaimsSet.Builder c) {
            c.subject(clientId).claim(SUB_TYPE, CLIENT_SUB_TYPE);
        }
    }

    /**
     * A service account of an organization ({@link dev.latchkey.core.org.ServiceAccount}): {@code sub} is
     * {@value #PREFIX}{@code <uuid>} (never the form of a user id, and no client id may start with
     * {@value #PREFIX}), {@code sub_type: "service_account"}, and the {@code org}, {@code roles} and
     * {@code permissions} of the account; never {@code ver}, and a {@code sid} only when exchanged from the
     * account's API key (the key's id, {@link #viaKey}). The client that obtained the
     * token is in {@code client_id}.
     */
    record ServiceAccount(UUID accountId, String org, List<String> roles, List<String> permissions, UUID keyId) implements TokenPrincipal {
        /** What a service account's {@code sub} starts with. */
        public static final String PREFIX = "sa_";

        /** A token of the account itself (client credentials): no {@code sid}. */
        public ServiceAccount(UUID accountId, String org, List<String> roles, List<String> permissions) {
            this(accountId, org, roles, permissions, null);
        }

        /**
         * The same account's claims for a token exchanged from its API key {@code keyId}: {@code sid} is the key's
         * id, so that revoking the key (a {@code session} revocation of that id) ends the token in every verifier.
         */
        public ServiceAccount viaKey(UUID keyId, List<String> roles, List<String> permissions) {
            return new ServiceAccount(accountId, org, roles, permissions, keyId);
        }

        public ServiceAccount {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(org, "org: every service account belongs to an organization");
            roles = roles == null ? List.of() : List.copyOf(roles);
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
        }

        @Override
        public Kind kind() {
            return Kind.SERVICE_ACCOUNT;
        }

        @Override
        public String subject() {
            return PREFIX + accountId;
        }

        @Override
        public void writeTo(JWTClaimsSet.Builder c) {
            c.subject(subject()).claim(SUB_TYPE, SERVICE_ACCOUNT_SUB_TYPE).claim("org", org);
            if (keyId != null) {
                c.claim("sid", keyId.toString());
            }
            if (!roles.isEmpty()) {
                c.claim("roles", roles);
            }
            if (!permissions.isEmpty()) {
                c.claim("permissions", permissions);
            }
        }
    }

    /**
     * Whose a verified token is: a user's only with a {@code sid} and without {@code sub_type}; a service
     * account's with {@code sub_type: "service_account"} and a {@value ServiceAccount#PREFIX} subject;
     * every other token is a client's.
     */
    static Kind kindOf(JWTClaimsSet claims) {
        Object sid = claims.getClaim("sid");
        Object subType = claims.getClaim(SUB_TYPE);
        if (SERVICE_ACCOUNT_SUB_TYPE.equals(subType) && looksLikeServiceAccountId(claims.getSubject())) {
            return Kind.SERVICE_ACCOUNT;
        }
        return sid instanceof String s && !s.isEmpty() && subType == null ? Kind.USER : Kind.CLIENT;
    }

    /** Whether {@code id} has the reserved form of a service account's subject ({@value ServiceAccount#PREFIX}...). */
    static boolean looksLikeServiceAccountId(String id) {
        return id != null && id.regionMatches(true, 0, ServiceAccount.PREFIX, 0, ServiceAccount.PREFIX.length());
    }

    /** Five groups of hex digits between hyphens: what {@link UUID#fromString} accepts. */
    Pattern JAVA_UUID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+){4}");
    /** 32 hex digits once hyphens are dropped: what PostgreSQL's {@code uuid} input accepts (braces aside). */
    Pattern POSTGRES_UUID = Pattern.compile("[0-9A-Fa-f]{32}");

    /**
     * Whether {@code id} has the form of a user id: anything Java's {@link UUID#fromString} or
     * PostgreSQL's {@code uuid} type would read as a UUID (any case, with or without hyphens). Client
     * ids of that form are refused at registration (and by a database constraint), so that no
     * client's {@code sub} can ever be read as, or equal, a user's.
     */
    static boolean looksLikeUserId(String id) {
        return id != null && (JAVA_UUID.matcher(id).matches() || POSTGRES_UUID.matcher(id.replace("-", "")).matches());
    }
}
