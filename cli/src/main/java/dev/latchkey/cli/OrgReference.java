package dev.latchkey.cli;

import dev.latchkey.core.org.Organization;
import dev.latchkey.server.Backend;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The organization a command names: by id, by slug, or by its exact name (refused when several share it). */
final class OrgReference {
    private OrgReference() {
    }

    static Organization resolve(Backend b, String ref) {
        String r = ref.strip();
        try {
            Optional<Organization> byId = b.orgs().find(UUID.fromString(r));
            if (byId.isPresent()) {
                return byId.get();
            }
        } catch (IllegalArgumentException notAnId) {
            // a slug or a name, then
        }
        Optional<Organization> bySlug = b.orgs().findBySlug(r);
        if (bySlug.isPresent()) {
            return bySlug.get();
        }
        List<Organization> named = b.orgs().list().stream().filter(o -> o.name().equals(r)).toList();
        if (named.size() > 1) {
            throw new CliException(named.size() + " organizations are named '" + r + "'; use the id (" + named.get(0).id()
                    + ", …) or the slug (" + named.get(0).slug() + ", …)");
        }
        if (named.isEmpty()) {
            throw new CliException("no organization '" + r + "' (give its id, its slug or its exact name)");
        }
        return named.get(0);
    }

    /** What a command does in the organization it names, on an open backend. */
    interface Work {
        void run(Backend b, Organization o);
    }

    /**
     * Opens the backend, resolves {@code ref} and runs {@code work}; a refusal of the core services becomes the command's
     * error ({@link AdminRolesCommand#run}).
     */
    static void run(ConfigOptions options, String ref, Work work) {
        try (Backend b = options.openBackend()) {
            AdminRolesCommand.run(() -> work.run(b, resolve(b, ref)));
        }
    }
}
