package dev.latchkey.server;

import dev.latchkey.core.account.AccountService;
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
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.store.sql.Database;
import dev.latchkey.store.sql.EmbeddedPostgres;
import dev.latchkey.store.sql.PgAuditLog;
import dev.latchkey.store.sql.PgLoginThrottle;
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

    private Backend(LatchkeyConfig config, Clock clock, EmbeddedPostgres embedded, Database database, MasterKey masterKey) {
        this.config = config;
        this.clock = clock;
        this.embedded = embedded;
        this.database = database;
        this.masterKey = masterKey;
        var jdbc = database.jdbc();
        this.users = new PgUserStore(jdbc);
        this.audit = new PgAuditLog(jdbc);
        LatchkeyConfig.Tokens tc = config.tokens();
        // the previous key stays published until every token it signed has expired and caches have refreshed
        Duration retireAfter = tc.accessTtl().plus(tc.jwksMaxAge()).plus(Duration.ofMinutes(5));
        this.keys = new KeyRing(new PgSigningKeyStore(jdbc), masterKey, clock,
                new KeyRing.KeyPolicy(tc.keyRotation(), tc.keyPrepublish(), retireAfter));
        String issuer = config.http().issuer();
        this.accessTokens = new AccessTokens(keys, clock, issuer, tc.accessTtl());
        this.verifier = new AccessTokenVerifier(keys, clock, issuer);
        LatchkeyConfig.Passwords pc = config.passwords();
        this.hashing = new PasswordHashing(new Argon2Parameters(pc.argon2MemoryKib(), pc.argon2Iterations(), pc.argon2Parallelism()),
                pc.pepper().map(p -> new Pepper(pc.pepperId(), p)), List.of());
        this.passwords = new PasswordsAdapter(hashing, new PasswordPolicy(pc.minLength(), PasswordPolicy.DEFAULT_MAX_LENGTH));
        this.accounts = new AccountService(users, passwords, passwords, new PgLoginThrottle(jdbc), config.abuse().lockout(), audit,
                clock, masterKey.derive("login-throttle"));
        this.sessions = new SessionService(new PgSessionStore(jdbc), new PgRefreshFamilyStore(jdbc),
                new RefreshTokens(masterKey.derive("refresh-successor")), audit, clock, config.sessions());
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
            return new Backend(config, clock, embedded, db, master);
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

    public AccountService accounts() {
        return accounts;
    }

    public SessionService sessions() {
        return sessions;
    }

    @Override
    public void close() {
        database.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
