package dev.latchkey.cli;

import dev.latchkey.server.Backend;
import dev.latchkey.store.sql.PgAdminKeys;
import java.time.Instant;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey admin keys …}: API keys for the admin API ({@code Authorization: Bearer lka_…}). */
@Command(name = "keys", description = "Create, list and revoke admin API keys.",
        subcommands = {AdminKeysCommand.Create.class, AdminKeysCommand.ListKeys.class, AdminKeysCommand.Revoke.class})
final class AdminKeysCommand {

    @Command(name = "create", description = "Create an admin API key; it is printed once (only its hash is stored).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for (e.g. ci, terraform).")
        String name;
        @Option(names = "--org", paramLabel = "ORG", description = "Bind the key to one organization (its id, slug or exact name): "
                + "it may then use only /admin/v1/orgs/<that id>/… (docs/authorization.md, \"Org-scoped administration\").")
        String org;

        @Override
        public void run() {
            String n = name.strip();
            if (n.isEmpty() || n.length() > 200) {
                throw new CliException("--name must be 1 to 200 characters");
            }
            try (Backend b = options.openBackend()) {
                UUID orgId = org == null ? null : OrgReference.resolve(b, org).id();
                String key = b.adminKeys().create(n, orgId, Instant.now()).secret();
                spec.commandLine().getOut().println(key);
                spec.commandLine().getErr().println("Admin API key '" + n + "' created" + (orgId == null ? "" : " for organization " + orgId
                        + " (it may use only /admin/v1/orgs/" + orgId + "/…)") + ". It is shown only now: store it. "
                        + "Use it as Authorization: Bearer <key>.");
            }
        }
    }

    @Command(name = "list", description = "List admin API keys (never their values).")
    static final class ListKeys implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                Table t = new Table("ID", "STATE", "CREATED", "NAME");
                for (PgAdminKeys.AdminKey k : b.adminKeys().list()) {
                    t.row(k.id(), k.revokedAt() == null ? "active" : "revoked", k.createdAt(),
                            k.name() + (k.orgId() == null ? "" : "  (org " + k.orgId() + ")"));
                }
                t.print(spec.commandLine().getOut(), "key", "keys");
            }
        }
    }

    @Command(name = "revoke", description = "Revoke an admin API key at once.")
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "ID", description = "The key's id, as `latchkey admin keys list` shows it.")
        String id;

        @Override
        public void run() {
            UUID uuid;
            try {
                uuid = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new CliException("'" + id + "' is not a key id (see `latchkey admin keys list`)");
            }
            try (Backend b = options.openBackend()) {
                if (!b.adminKeys().revoke(uuid, Instant.now())) {
                    throw new CliException("no active admin key " + id);
                }
                spec.commandLine().getOut().println("revoked admin key " + id);
            }
        }
    }
}
