package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.org.OrgCustomClaims;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.Organizations;
import dev.latchkey.server.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo's two organizations, which {@code latchkey dev} makes sure exist at every start (idempotent: found by slug,
 * created when missing): {@value #ACME} and {@value #GLOBEX}, each with its own role {@value #WRITER} granting
 * {@code notes:write} (writing the organization's notes, docs/authorization.md). Memberships are not made here:
 * a user joins with the admin API ({@code PUT /admin/v1/orgs/{id}/members/{email}}), as the banner shows.
 */
final class DemoOrganizations {
    static final String ACME = "demo-acme";
    static final String GLOBEX = "demo-globex";
    static final String WRITER = "writer";
    static final List<String> WRITER_PERMISSIONS = List.of("notes:write");

    private DemoOrganizations() {
    }

    /** Finds or creates both, and (re)defines their writer role when it is missing or differs; answers them in order. */
    static List<Organization> ensure(Backend b) {
        Organizations organizations = new Organizations(b.orgs(), b.audit(), b.clock());
        List<Organization> out = new ArrayList<>();
        for (String[] o : new String[][] {{"Acme (demo)", ACME}, {"Globex (demo)", GLOBEX}}) {
            Organization org = b.orgs().findBySlug(o[1])
                    .orElseGet(() -> organizations.create(o[0], o[1], OrgCustomClaims.NONE, RequestContext.SYSTEM));
            boolean current = b.roles().find(org.id(), WRITER).map(r -> Objects.equals(r.permissions(), WRITER_PERMISSIONS)).orElse(false);
            if (!current) {
                b.roleAdmin().define(org.id(), WRITER, "Writes the organization's notes in the demo", WRITER_PERMISSIONS, RequestContext.SYSTEM);
            }
            out.add(org);
        }
        return List.copyOf(out);
    }
}
