package dev.latchkey.server.relations;

import dev.latchkey.core.authz.FgaStore;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who calls the relations API and what they may do. Admin keys and client-credentials tokens act for the whole
 * deployment today; {@code org} is the seam for org-scoped credentials (a later issue): a principal with an
 * organization reaches only that organization's stores, and creates stores in it.
 */
record FgaPrincipal(String name, boolean mayWrite, Optional<UUID> org) {
    FgaPrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(org, "org");
    }

    boolean mayUse(FgaStore store) {
        return org.isEmpty() || org.equals(store.orgId());
    }
}
