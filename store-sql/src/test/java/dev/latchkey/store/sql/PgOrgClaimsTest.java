package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.org.OrgAccess;
import dev.latchkey.core.org.OrgClaims;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.Role;
import dev.latchkey.core.session.Revocation;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The org, roles and permissions a token carries, read from real PostgreSQL memberships and role
 * definitions; a role change signs nobody out but is announced in the revocation log; a removal ends
 * the user's sessions.
 */
class PgOrgClaimsTest {
    static StoreFixture fx;
    static PgOrgStore orgs;
    static PgRoleStore roles;
    static OrgClaims claims;
    static PgRevocationLog log;

    @BeforeAll
    static void db() {
        fx = new StoreFixture();
        orgs = new PgOrgStore(fx.jdbc);
        roles = new PgRoleStore(fx.jdbc);
        claims = new OrgClaims(orgs, roles);
        log = new PgRevocationLog(fx.jdbc);
        Instant now = Instant.now();
        roles.put(new Role(null, "viewer", null, List.of("notes:read"), now));
        roles.put(new Role(null, "editor", null, List.of("notes:read", "notes:write"), now));
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static UUID org(String name) {
        UUID id = UuidV7.next();
        orgs.create(new Organization(id, name, Instant.now()));
        return id;
    }

    @Test
    void aMembersTokenCarriesTheRolesAndThePermissionsOfTheChosenOrgOnly() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        User u = fx.newUser("claims-" + UUID.randomUUID() + "@example.test", now);
        UUID acme = org("Acme");
        UUID globex = org("Globex");
        roles.put(new Role(globex, "editor", "Globex editors also publish", List.of("notes:read", "notes:publish"), now));
        orgs.setMembership(acme, u.id(), List.of("editor"), now);
        orgs.setMembership(globex, u.id(), List.of("editor", "viewer"), now);

        assertThat(claims.of(u.id(), acme)).contains(new OrgAccess(acme, List.of("editor"), List.of("notes:read", "notes:write")));
        assertThat(claims.of(u.id(), globex)).contains(new OrgAccess(globex, List.of("editor", "viewer"), List.of("notes:publish", "notes:read")));
        assertThat(claims.of(u.id(), org("Initech"))).isEmpty();
        assertThat(claims.of(u.id(), null)).isEmpty();

        TokenPrincipal.User asked = new TokenPrincipal.User(u.id(), UUID.randomUUID(), acme.toString(), List.of("stale-role"), 1);
        TokenPrincipal.User minted = claims.current(asked);
        assertThat(minted.org()).isEqualTo(acme.toString());
        assertThat(minted.roles()).containsExactly("editor");
        assertThat(minted.permissions()).containsExactly("notes:read", "notes:write");
    }

    @Test
    void aRoleChangeKeepsTheUserSignedInAndIsAnnouncedWithTheNewRolesAndPermissions() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        User u = fx.newUser("change-" + UUID.randomUUID() + "@example.test", now);
        UUID acme = org("Acme");
        orgs.setMembership(acme, u.id(), List.of("editor"), now);
        long before = log.head();

        orgs.setMembership(acme, u.id(), List.of("viewer"), now.plusSeconds(1));

        assertThat(fx.users.findById(u.id()).orElseThrow().securityVersion()).isEqualTo(u.securityVersion());
        List<Revocation> entries = log.after(before, 10);
        assertThat(entries).hasSize(1);
        Revocation r = entries.get(0);
        assertThat(r.kind()).isEqualTo(Revocation.Kind.ROLES_CHANGED);
        assertThat(r.userId()).isEqualTo(u.id());
        assertThat(r.orgId()).isEqualTo(acme);
        assertThat(r.roles()).containsExactly("viewer");
        assertThat(r.permissions()).containsExactly("notes:read");
        assertThat(claims.of(u.id(), acme).orElseThrow().permissions()).containsExactly("notes:read");
    }

    @Test
    void removalFromTheOrgEndsTheUsersSessionsAndItsClaims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        User u = fx.newUser("removed-" + UUID.randomUUID() + "@example.test", now);
        UUID acme = org("Acme");
        orgs.setMembership(acme, u.id(), List.of("editor"), now);

        assertThat(orgs.removeMembership(acme, u.id(), now.plusSeconds(1))).isTrue();

        assertThat(fx.users.findById(u.id()).orElseThrow().securityVersion()).isEqualTo(u.securityVersion() + 1);
        assertThat(claims.of(u.id(), acme)).isEmpty();
        TokenPrincipal.User minted = claims.current(new TokenPrincipal.User(u.id(), UUID.randomUUID(), acme.toString(), List.of("editor"), 1));
        assertThat(minted.org()).isNull();
        assertThat(minted.roles()).isEmpty();
        assertThat(minted.permissions()).isEmpty();
    }
}
