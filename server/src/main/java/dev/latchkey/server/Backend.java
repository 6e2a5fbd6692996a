package dev.latchkey.server;

import dev.latchkey.authz.cel.CelConditions;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.key.KeyRing;
import dev.latchkey.core.password.Argon2Parameters;
import dev.latchkey.core.password.PasswordHashing;
import dev.latchkey.core.password.PasswordPolicy;
import dev.latchkey.core.password.Pepper;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.AccessTokens;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.oauth.authorize.AuthorizationChecks;
import dev.latchkey.core.oauth.authorize.AuthorizationService;
import dev.latchkey.core.oauth.token.IdTokenHints;
import dev.latchkey.core.oauth.token.IdTokens;
import dev.latchkey.core.oauth.token.TokenInspection;
import dev.latchkey.core.oauth.token.TokenService;
import dev.latchkey.server.cache.CachedClients;
import dev.latchkey.server.cache.CachedSessions;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.oidc.OidcPaths;
import dev.latchkey.server.revocation.RevocationBus;
import dev.latchkey.store.sql.PgAdminKeys;
import dev.latchkey.store.sql.PgAuthorizationStores;
import dev.latchkey.store.sql.PgClientStore;
import dev.latchkey.store.sql.PgOrgStore;
import dev.latchkey.store.sql.PgRoleStore;
import dev.latchkey.core.org.OrgClaims;
import dev.latchkey.core.org.Roles;
import dev.latchkey.core.org.OrgSwitch;
import dev.latchkey.store.sql.PgRelationStore;
import dev.latchkey.store.sql.PgRevocationLog;
import dev.latchkey.store.sql.Database;
import dev.latchkey.store.sql.EmbeddedPostgres;
import dev.latchkey.store.sql.PgAuditLog;
import dev.latchkey.store.sql.PgRefreshFamilyStore;
import dev.latchkey.store.sql.PgSessionStore;
import dev.latchkey.store.sql.PgSigningKeyStore;
import dev.latchkey.store.sql.PgUserStore;
import dev.latchkey.store.sql.PostgresUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything but HTTP: the database (embedded in dev), the stores, the keys and the services,
 * built from the configuration in one place. The server adds HTTP on top; the CLI's admin
 * commands use it as it is.
 */
public final class Backend implements AutoCloseable {
    private final LatchkeyConfig config;
    private final Clock clock;
    private final EmbeddedPostgres embedded;
    private final Database database;
    private final MasterKey masterKey;
    private final PgUserStore users;
    private final PgAuditLog audit;
    private final KeyRing keys;
    private final AccessTokens accessTokens;
    private final AccessTokenVerifier verifier;
    private final PasswordHashing hashing;
    private final PasswordsAdapter passwords;
    private final AccountService accounts;
    private final SessionService sessions;
    private final PgSessionStore sessionStore;
    private final CachedSessions liveSessions;
    private final CachedClients clientStore;
    private final ClientRegistry clients;
    private final PgAuthorizationStores authorizationStores;
    private final ClientAuthenticator clientAuthenticator;
    private final AuthorizationService authorization;
    private final TokenService tokens;
    private final TokenInspection inspection;
    private final IdTokenHints idTokenHints;
    private final PgAdminKeys adminKeys;
    private final PgRevocationLog revocationLog;
    private final RefreshTokens refreshTokens;
    private final PgOrgStore orgs;
    private final PgRoleStore roles;
    private final OrgClaims orgClaims;
    private final Roles roleAdmin;
    private final dev.latchkey.core.org.ServiceAccounts serviceAccounts;
    private final dev.latchkey.core.org.ServiceAccountClients serviceAccountClients;
    private final OrgSwitch orgSwitch;
    private final RelationService relations;

    private final PostgresUrl databaseUrl;

    private Backend(LatchkeyConfig config, Clock clock, EmbeddedPostgres embedded, Database database, MasterKey masterKey, PostgresUrl url) {
        this.config = config;
        this.databaseUrl = url;
        this.clock = clock;
        this.embedded = embedded;
        this.database = database;
        this.masterKey = masterKey;
        var jdbc = database.jdbc();
        this.users = new PgUserStore(jdbc);
        this.audit = new PgAuditLog(jdbc);
        LatchkeyConfig.Tokens tc = config.tokens();
        // the previous key stays published until every token it signed has expired and caches have refreshed
        Duration longest = tc.accessTtl().compareTo(tc.idTokenTtl()) > 0 ? tc.accessTtl() : tc.idTokenTtl();
        Duration retireAfter = longest.plus(tc.jwksMaxAge()).plus(Duration.ofMinutes(5));
        this.keys = new KeyRing(new PgSigningKeyStore(jdbc), masterKey, clock,
                new KeyRing.KeyPolicy(tc.keyRotation(), tc.keyPrepublish(), retireAfter));
        String issuer = config.http().issuer();
        this.orgs = new PgOrgStore(jdbc);
        this.roles = new PgRoleStore(jdbc);
        this.orgClaims = new OrgClaims(orgs, roles);
        // a user's token carries the current org, roles and permissions of the organization the grant chose
        this.accessTokens = new AccessTokens(keys, clock, issuer, tc.accessTtl(), orgClaims::current);

        LatchkeyConfig.Passwords pc = config.passwords();
        this.hashing = new PasswordHashing(new Argon2Parameters(pc.argon2MemoryKib(), pc.argon2Iterations(), pc.argon2Parallelism()),
                pc.pepper().map(p -> new Pepper(pc.pepperId(), p)), List.of());
        // Argon2id (p=1) keeps one core busy per hash: more hashes in flight than cores only queue for the same
        // cores while each holds its 19 MiB of native memory (docs/benchmarks.md, "Memory under load").
        this.passwords = new PasswordsAdapter(hashing, new PasswordPolicy(pc.minLength(), PasswordPolicy.DEFAULT_MAX_LENGTH),
                Runtime.getRuntime().availableProcessors());
        this.signIn = new SignInServices(config, jdbc, users, passwords, audit, masterKey, clock);
        this.accounts = signIn.accounts();
        this.sessionStore = new PgSessionStore(jdbc);
        PgRefreshFamilyStore families = new PgRefreshFamilyStore(jdbc);
        this.refreshTokens = new RefreshTokens(masterKey.derive("refresh-successor"));
        this.roleAdmin = new Roles(roles, orgs, audit, clock);
        this.organizations = new dev.latchkey.core.org.Organizations(orgs, audit, clock);
        this.memberships = new dev.latchkey.core.org.Memberships(orgs, audit, clock);
        this.invitations = new dev.latchkey.core.org.invite.Invitations(new dev.latchkey.store.sql.PgInvitationStore(jdbc, signIn.outbox()), orgs, users,
                signIn.mailer(), audit, clock, config.mail().invitationTtl());
        this.sessions = new SessionService(sessionStore, families, refreshTokens, audit, clock, config.sessions(), orgs::primary);
        this.orgSwitch = new OrgSwitch(sessions, families, refreshTokens, orgs, clock);
        this.liveSessions = new CachedSessions(sessionStore, users, clock, Duration.ofMinutes(1), 50_000);
        users.onUserChanged(liveSessions::userChanged);

        this.clientStore = new CachedClients(new PgClientStore(jdbc), Duration.ofSeconds(30));
        this.verifier = new AccessTokenVerifier(keys, clock, issuer, 20_000,
                clientId -> clientStore.find(clientId).map(Client::jwtTypedAccessTokens).orElse(false));
        this.clients = new ClientRegistry(clientStore, clock);
        this.authorizationStores = new PgAuthorizationStores(jdbc);
        this.clientAuthenticator = new ClientAuthenticator(clientStore, authorizationStores, clock,
                List.of(issuer, issuer + OidcPaths.TOKEN, issuer + OidcPaths.PAR, issuer + OidcPaths.INTROSPECT, issuer + OidcPaths.REVOKE,
                        issuer + OidcPaths.REVOCATION_FEED, issuer + OidcPaths.REVOCATION_POLL));
        this.authorization = new AuthorizationService(new AuthorizationChecks(clientStore), authorizationStores, authorizationStores,
                authorizationStores, clientStore, clock, new AuthorizationService.Lifetimes(Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofMinutes(15)), orgs);
        IdTokens idTokens = new IdTokens(accessTokens, clock, issuer, tc.idTokenTtl());
        var serviceAccountStore = new dev.latchkey.store.sql.PgServiceAccountStore(jdbc);
        this.serviceAccounts = new dev.latchkey.core.org.ServiceAccounts(serviceAccountStore, roles, orgs, clients, audit, clock);
        this.serviceAccountClients = new dev.latchkey.core.org.ServiceAccountClients(serviceAccounts, serviceAccountStore, clients, audit, clock);
        this.tokens = new TokenService(authorizationStores, sessions, sessionStore, users, accessTokens, idTokens, clock, issuer, orgSwitch,
                serviceAccounts);
        LatchkeyConfig.ApiKeys ak = config.apiKeys();
        // API keys (docs/authorization.md#api-keys): secrets as HMAC-SHA256 under a key of their own, exchanged by RFC 8693
        this.apiKeys = new dev.latchkey.core.apikey.ApiKeys(new dev.latchkey.store.sql.PgApiKeyStore(jdbc), masterKey.derive("api-keys"), orgs,
                audit, clock, new dev.latchkey.core.apikey.ApiKeys.Policy(ak.env(), ak.maxLifetime()), serviceAccounts);
        tokens.withTokenExchange(new dev.latchkey.core.apikey.ApiKeyExchange(apiKeys, users, accessTokens, issuer, ak.tokenTtl(), serviceAccounts,
                audit, clock));
        this.inspection = new TokenInspection(verifier, liveSessions, sessionStore, refreshTokens, families, liveSessions::user, clock, issuer,
                id -> serviceAccountStore.find(id).filter(a -> !a.disabled()).isPresent(), this::liveApiKeyToken);
        this.idTokenHints = new IdTokenHints(keys, issuer);
        this.adminKeys = new PgAdminKeys(jdbc);
        this.revocationLog = new PgRevocationLog(jdbc);
        // relationship-based authorization (docs/relations.md): limits from relations.* (OpenFGA's defaults), tuples cached 10 s
        // for MINIMIZE_LATENCY
        this.relations = new RelationService(new PgRelationStore(jdbc), new CelConditions(), config.relations(), clock, Duration.ofSeconds(10));
        this.revocations = new RevocationBus(url, revocationLog);
        revocations.subscribe(liveSessions);
        // this node's caches learn of revocations it made itself before the request that made them returns;
        // other nodes' revocations arrive through the bus once the server starts it
        jdbc.onRevocations(revocations::drain);
    }

    private final RevocationBus revocations;
    private final SignInServices signIn;
    private final dev.latchkey.core.org.invite.Invitations invitations;
    private final dev.latchkey.core.org.Organizations organizations;
    private final dev.latchkey.core.org.Memberships memberships;

    /** Creating, changing and deleting organizations, audited. */
    public dev.latchkey.core.org.Organizations organizations() {
        return organizations;
    }

    /** Adding, changing and removing an organization's members, audited. */
    public dev.latchkey.core.org.Memberships memberships() {
        return memberships;
    }

    /** Invitations into organizations (docs/authorization.md#invitations). */
    public dev.latchkey.core.org.invite.Invitations invitations() {
        return invitations;
    }

    private final dev.latchkey.core.apikey.ApiKeys apiKeys;

    /** API keys: made, listed, revoked (admin API, CLI, account page); exchanged at the token endpoint. */
    public dev.latchkey.core.apikey.ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The login flow, credentials, identities and the e-mail flows. */
    public SignInServices signIn() {
        return signIn;
    }

    /** The revocation bus (started by the server; admin tools only drain it locally). */
    public RevocationBus revocations() {
        return revocations;
    }

    /** Opens the database (starting the embedded one when no URL is configured) and builds the services. */
    public static Backend open(LatchkeyConfig config, Clock clock) {
        LatchkeyConfig.Storage storage = config.storage();
        EmbeddedPostgres embedded = null;
        PostgresUrl url;
        if (storage.databaseUrl().isPresent()) {
            url = storage.databaseUrl().get();
        } else {
            embedded = EmbeddedPostgres.start(storage.dataDir().resolve("postgres"), storage.embeddedPort());
            url = embedded.url();
        }
        try {
            MasterKey master = storage.masterKey().orElseGet(() -> MasterKeys.loadOrCreate(storage.dataDir()));
            Database db = Database.open(new Database.Settings(url, storage.poolSize(), Duration.ofSeconds(10)));
            return new Backend(config, clock, embedded, db, master, url);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    public LatchkeyConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Database database() {
        return database;
    }

    public Optional<EmbeddedPostgres> embeddedPostgres() {
        return Optional.ofNullable(embedded);
    }

    public MasterKey masterKey() {
        return masterKey;
    }

    public PgUserStore users() {
        return users;
    }

    public PgAuditLog audit() {
        return audit;
    }

    public KeyRing keys() {
        return keys;
    }

    public AccessTokens accessTokens() {
        return accessTokens;
    }

    public AccessTokenVerifier verifier() {
        return verifier;
    }

    public PasswordHashing hashing() {
        return hashing;
    }

    PasswordsAdapter passwords() {
        return passwords;
    }

    public CachedSessions liveSessions() {
        return liveSessions;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public CachedClients clientStore() {
        return clientStore;
    }

    public ClientAuthenticator clientAuthenticator() {
        return clientAuthenticator;
    }

    public AuthorizationService authorization() {
        return authorization;
    }

    public TokenService tokens() {
        return tokens;
    }

    public TokenInspection inspection() {
        return inspection;
    }

    public IdTokenHints idTokenHints() {
        return idTokenHints;
    }

    public PgOrgStore orgs() {
        return orgs;
    }

    public PgRoleStore roles() {
        return roles;
    }

    /** Defining roles (admin API, CLI). */
    /** Service accounts of organizations, and the clients they own. */
    public dev.latchkey.core.org.ServiceAccounts serviceAccounts() {
        return serviceAccounts;
    }

    public dev.latchkey.core.org.ServiceAccountClients serviceAccountClients() {
        return serviceAccountClients;
    }

    public Roles roleAdmin() {
        return roleAdmin;
    }

    /** Switching a grant's organization (first-party API, refresh grant). */
    public OrgSwitch orgSwitch() {
        return orgSwitch;
    }

    public OrgClaims orgClaims() {
        return orgClaims;
    }

    /** Relationship-based authorization: stores, models, tuples, check and list queries. */
    public RelationService relations() {
        return relations;
    }

    public PgAdminKeys adminKeys() {
        return adminKeys;
    }

    public PgRevocationLog revocationLog() {
        return revocationLog;
    }

    public PgSessionStore sessionStore() {
        return sessionStore;
    }

    public PostgresUrl databaseUrl() {
        return databaseUrl;
    }

    public AccountService accounts() {
        return accounts;
    }

    public SessionService sessions() {
        return sessions;
    }

    @Override
    public void close() {
        revocations.close();
        database.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    /**
     * A token minted by the API-key exchange (its sid is the key's id): the key usable and its owner the token's
     * subject; a user owner also active at the token's security version (a service account's state is checked by
     * the caller).
     */
    private boolean liveApiKeyToken(dev.latchkey.core.token.AccessTokenVerifier.Claims c) {
        if (c.sessionId() == null) {
            return false;
        }
        java.util.UUID sid;
        try {
            sid = java.util.UUID.fromString(c.sessionId());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return apiKeys.usable(sid).filter(k -> switch (k.owner()) {
            case dev.latchkey.core.apikey.ApiKeyOwner.User u -> u.userId().toString().equals(c.subject())
                    && users.findById(u.userId()).filter(dev.latchkey.core.account.User::active)
                    .filter(x -> c.securityVersion() == null || c.securityVersion() == x.securityVersion()).isPresent();
            case dev.latchkey.core.apikey.ApiKeyOwner.ServiceAccount a ->
                    (dev.latchkey.core.token.TokenPrincipal.ServiceAccount.PREFIX + a.accountId()).equals(c.subject());
        }).isPresent();
    }
}
