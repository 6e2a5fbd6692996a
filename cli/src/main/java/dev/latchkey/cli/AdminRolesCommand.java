package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.Role;
import dev.latchkey.server.Backend;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey admin roles …}: roles as sets of {@code resource:action} permissions, deployment-wide or per organization. */
@Command(name = "roles", description = "Define, list and delete roles (sets of resource:action permissions), deployment-wide or for one organization (--org).",
        subcommands = {AdminRolesCommand.Set.class, AdminRolesCommand.ListRoles.class, AdminRolesCommand.Delete.class})
final class AdminRolesCommand {

    /** The organization {@code --org} names (id, slug or exact name), or null for the deployment's roles. */
    static UUID org(Backend b, String org) {
        return org == null ? null : OrgReference.resolve(b, org).id();
    }

    static void run(Runnable r) {
        try {
            r.run();
        } catch (LatchkeyException e) {
            throw new CliException(e.publicMessage());
        }
    }

    @Command(name = "set", description = "Create or replace a role: its permissions are exactly the --permission options given. "
            + "Members' next tokens carry the change (at most one access-token lifetime).")
    static final class Set implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME", description = "The role's name (lower case letters, digits, _ . -).")
        String name;
        @Option(names = "--permission", paramLabel = "RESOURCE:ACTION", description = "A permission of the role (repeatable), e.g. notes:write.")
        List<String> permissions = List.of();
        @Option(names = "--description", paramLabel = "TEXT", description = "What the role is for.")
        String description;
        @Option(names = "--org", paramLabel = "ORG", description = "Define the role for this organization only (default: the whole deployment).")
        String org;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    Role r = b.roleAdmin().define(org(b, org), name, description, permissions, RequestContext.SYSTEM);
                    spec.commandLine().getOut().println(r.name() + " " + String.join(" ", r.permissions()));
                });
            }
        }
    }

    @Command(name = "list", description = "List the deployment's roles, or one organization's own (--org).")
    static final class ListRoles implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--org", paramLabel = "ORG", description = "List this organization's own roles.")
        String org;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    Table t = new Table("NAME", "PERMISSIONS");
                    for (Role r : b.roleAdmin().list(org(b, org))) {
                        t.row(r.name(), String.join(" ", r.permissions()));
                    }
                    t.print(spec.commandLine().getOut(), "role", "roles");
                });
            }
        }
    }

    @Command(name = "delete", description = "Delete a role: members keep the name, which then grants nothing "
            + "(in an organization: the deployment role of that name, if any).")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--org", paramLabel = "ORG", description = "Delete this organization's own role.")
        String org;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    b.roleAdmin().delete(org(b, org), name, RequestContext.SYSTEM);
                    spec.commandLine().getOut().println("deleted role " + name);
                });
            }
        }
    }
}
