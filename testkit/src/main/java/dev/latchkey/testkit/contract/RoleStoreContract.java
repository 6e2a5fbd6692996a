package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.org.Role;
import dev.latchkey.core.org.RoleStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RoleStore} must do. */
public abstract class RoleStoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract RoleStore roles();

    /** A new organization's id (PostgreSQL's roles reference organizations). */
    protected abstract UUID newOrg();

    private static String name(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRoleIsStoredFoundListedReplacedAndDeletedInItsScope() {
        UUID org = newOrg();
        String n = name("editor");
        Role deployment = new Role(null, n, "Edits notes", List.of("notes:write", "notes:read"), NOW);
        roles().put(deployment);
        assertThat(roles().find(null, n)).contains(deployment);
        assertThat(roles().find(org, n)).isEmpty();
        assertThat(roles().list(null)).contains(deployment);
        assertThat(roles().list(org)).isEmpty();

        Role replaced = new Role(null, n, null, List.of("notes:read"), NOW.plusSeconds(1));
        roles().put(replaced);
        assertThat(roles().find(null, n)).contains(replaced);
        assertThat(roles().find(null, n).orElseThrow().permissions()).containsExactly("notes:read");

        assertThat(roles().delete(null, n)).isTrue();
        assertThat(roles().delete(null, n)).isFalse();
        assertThat(roles().find(null, n)).isEmpty();
    }

    @Test
    void permissionsAreTheUnionOfTheRolesWithAnOrgRoleTakingTheDeploymentRolesPlace() {
        UUID org = newOrg();
        UUID other = newOrg();
        String viewer = name("viewer");
        String editor = name("editor");
        roles().put(new Role(null, viewer, null, List.of("notes:read"), NOW));
        roles().put(new Role(null, editor, null, List.of("notes:read", "notes:write"), NOW));
        // org's own "editor" may also delete, and no longer write
        roles().put(new Role(org, editor, null, List.of("notes:read", "notes:delete"), NOW));

        assertThat(roles().permissions(org, List.of(viewer, editor))).containsExactly("notes:delete", "notes:read");
        assertThat(roles().permissions(other, List.of(viewer, editor))).containsExactly("notes:read", "notes:write");
        assertThat(roles().permissions(other, List.of(name("unknown")))).isEmpty();
        assertThat(roles().permissions(org, List.of())).isEmpty();
        assertThat(roles().list(org)).extracting(Role::name).containsExactly(editor);
    }
}
