package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.oauth.ApplicationType;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients on PostgreSQL across the V6 migration: clients registered before it keep ES256 ID tokens, new ones get
 * RS256, and the database itself refuses a client id of a user id's form.
 */
class PgClientStoreTest {
    static final String LEGACY_UUID_CLIENT = UUID.randomUUID().toString();

    TestPostgres.Database db;
    Database database;
    PgClientStore store;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.createDatabase();
        // the schema as it was before V6, with two clients registered then
        try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
            ds.setJdbcUrl(db.jdbcUrl());
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("5").load().migrate();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String id : List.of("old-rp", LEGACY_UUID_CLIENT)) {
                s.execute("""
                        INSERT INTO oauth_clients (client_id, client_name, auth_method, secret_hash, redirect_uris, grant_types, scopes,
                            created_at, updated_at)
                        VALUES ('%s', 'old', 'client_secret_basic', '\\x00', '{https://rp.example/cb}', '{authorization_code}',
                            '{openid}', now(), now())""".formatted(id));
            }
        }
        database = Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 4, Duration.ofSeconds(10)));
        store = new PgClientStore(database.jdbc());
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    @Test
    void clientsFromBeforeTheMigrationKeepEs256IdTokensAndWebRedirects() {
        Client old = store.find("old-rp").orElseThrow();
        assertThat(old.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(old.applicationType()).isEqualTo(ApplicationType.WEB);
        ClientRegistry registry = new ClientRegistry(store, Clock.systemUTC());
        // an update that does not name them keeps them
        Client updated = registry.update("old-rp", new ClientRegistration("old-rp", "renamed", null, List.of("https://rp.example/cb"), null,
                List.of("authorization_code"), "openid", null, null, null, null, null)).client();
        assertThat(store.find("old-rp").orElseThrow()).satisfies(c -> {
            assertThat(c.name()).isEqualTo("renamed");
            assertThat(c.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        });
        assertThat(updated.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
    }

    @Test
    void newClientsDefaultToRs256AndTheNewFieldsRoundTrip() {
        ClientRegistry registry = new ClientRegistry(store, Clock.systemUTC());
        registry.register(new ClientRegistration("new-rp", null, null, List.of("https://rp.example/cb"), null, null, null, null, null, null,
                null, null));
        registry.register(new ClientRegistration("cli-app", null, "none", List.of("http://127.0.0.1/cb"), null, null, null, null, null, null,
                null, null, "ES256", "native"));
        assertThat(store.find("new-rp").orElseThrow().idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.RS256);
        Client app = store.find("cli-app").orElseThrow();
        assertThat(app.idTokenSignedResponseAlg()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(app.applicationType()).isEqualTo(ApplicationType.NATIVE);
    }

    @Test
    void theDatabaseRefusesAClientIdOfAUserIdsFormButKeepsOneFromBefore() {
        Instant now = Instant.now();
        for (String id : List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString().replace("-", "").toUpperCase(), "1-2-3-4-5")) {
            Client c = new Client(id, "x", ClientAuthMethod.NONE, null, List.of("https://x.example/cb"), List.of(),
                    Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(), false, false, null, false, now, now);
            assertThatThrownBy(() -> store.create(c)).as(id).hasStackTraceContaining("oauth_clients_id_not_uuid");
        }
        // kept through the migration, readable and deletable (ClientRegistry refuses to update it or mint its tokens)
        assertThat(store.find(LEGACY_UUID_CLIENT)).isPresent();
        assertThat(store.delete(LEGACY_UUID_CLIENT)).isTrue();
    }
}
