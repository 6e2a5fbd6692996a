package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.server.Backend;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey admin api-keys …}: users' API keys ({@code lk_<env>_<id>_<secret>}, docs/authorization.md#api-keys).
 * Creating, listing and revoking are the same for a service account's keys ({@link AdminServiceAccountApiKeysCommand}).
 */
@Command(name = "api-keys", description = "Create, list and revoke users' API keys.",
        subcommands = {AdminApiKeysCommand.Create.class, AdminApiKeysCommand.ListKeys.class, AdminApiKeysCommand.Revoke.class})
final class AdminApiKeysCommand {

    static ApiKeyOwner owner(Backend b, String user) {
        return new ApiKeyOwner.User(UserReference.resolve(b, user).id());
    }

    /** What a key is made with, for a user or a service account. */
    static class KeyOptions {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for.")
        String name;
        @Option(names = "--scope", paramLabel = "SCOPES", description = "Space-separated OAuth scopes its tokens may carry.")
        String scope;
        @Option(names = "--permission", paramLabel = "PERM", description = "Limit to this permission (resource:action); repeatable.")
        List<String> permissions;
        @Option(names = "--expires-in", paramLabel = "DAYS", description = "Days until it expires (default and maximum: api_keys.max_lifetime).")
        Integer expiresInDays;

        ApiKeys.NewKey key(ApiKeyOwner owner, UUID org) {
            return new ApiKeys.NewKey(owner, name, scope, permissions, org, expiresInDays == null ? null : Duration.ofDays(expiresInDays));
        }
    }

    /** Creates the key and prints its text once on stdout (what it is on stderr). */
    static void create(Backend b, CommandSpec spec, ApiKeys.NewKey key) {
        ApiKeys.Created c = b.apiKeys().create(key, RequestContext.SYSTEM);
        spec.commandLine().getOut().println(c.text());
        spec.commandLine().getErr().println("API key " + c.key().publicId() + " ('" + c.key().name() + "', id " + c.key().id()
                + ") created. It is shown only now: store it.");
    }

    /** The owner's keys as a table (never their text). */
    static void list(Backend b, PrintWriter out, ApiKeyOwner owner) {
        Instant now = Instant.now();
        Table t = new Table("ID", "KEY ID", "STATE", "EXPIRES", "LAST USED", "NAME");
        for (ApiKey k : b.apiKeys().list(owner)) {
            t.row(k.id(), k.publicId(), k.state(now), k.expiresAt() == null ? "never" : k.expiresAt(),
                    k.lastUsedAt() == null ? "never" : k.lastUsedAt(), k.name());
        }
        t.print(out, "key", "keys");
    }

    static void revoke(Backend b, PrintWriter out, ApiKeyOwner owner, String id, String listCommand) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + id + "' is not a key id (see `" + listCommand + "`)");
        }
        b.apiKeys().revoke(owner, uuid, RequestContext.SYSTEM);
        out.println("revoked API key " + id);
    }

    @Command(name = "create", description = "Create an API key for a user; it is printed once (only its HMAC is stored).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--user", required = true, paramLabel = "USER", description = "The owner: user id or e-mail address.")
        String user;
        @Mixin
        KeyOptions key;
        @Option(names = "--org", paramLabel = "ORG", description = "The organization its tokens are for (id, slug or exact name; "
                + "the user must be a member); needed for --permission.")
        String org;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> create(b, spec, key.key(owner(b, user), org == null ? null : OrgReference.resolve(b, org).id())));
            }
        }
    }

    @Command(name = "list", description = "List a user's API keys (never their text).")
    static final class ListKeys implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--user", required = true, paramLabel = "USER", description = "User id or e-mail address.")
        String user;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                list(b, spec.commandLine().getOut(), owner(b, user));
            }
        }
    }

    @Command(name = "revoke", description = "Revoke an API key at once; the tokens exchanged for it are refused through the revocation feed.")
    static final class Revoke implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--user", required = true, paramLabel = "USER", description = "The owner: user id or e-mail address.")
        String user;
        @Parameters(paramLabel = "ID", description = "The key's id, as `latchkey admin api-keys list` shows it.")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> revoke(b, spec.commandLine().getOut(), owner(b, user), id, "latchkey admin api-keys list"));
            }
        }
    }
}
