package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.Backend;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey admin api-keys …}: users' API keys ({@code lk_<env>_<id>_<secret>}, docs/authorization.md#api-keys). */
@Command(name = "api-keys", description = "Create, list and revoke users' API keys.",
        subcommands = {AdminApiKeysCommand.Create.class, AdminApiKeysCommand.ListKeys.class, AdminApiKeysCommand.Revoke.class})
final class AdminApiKeysCommand {

    static ApiKeyOwner owner(Backend b, String user) {
        Optional<User> u;
        try {
            u = b.users().findById(UUID.fromString(user));
        } catch (IllegalArgumentException notAnId) {
            try {
                u = b.users().findByEmail(EmailAddress.parse(user));
            } catch (RuntimeException notAnAddress) {
                u = Optional.empty();
            }
        }
        return new ApiKeyOwner.User(u.orElseThrow(() -> new CliException("no user " + user + " (give a user id or e-mail address)")).id());
    }

    @Command(name = "create", description = "Create an API key for a user; it is printed once (only its HMAC is stored).")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--user", required = true, paramLabel = "USER", description = "The owner: user id or e-mail address.")
        String user;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for.")
        String name;
        @Option(names = "--scope", paramLabel = "SCOPES", description = "Space-separated OAuth scopes its tokens may carry.")
        String scope;
        @Option(names = "--org", paramLabel = "ORG_ID", description = "The organization its tokens are for (the user must be a member).")
        UUID org;
        @Option(names = "--permission", paramLabel = "PERM", description = "Limit to this permission (resource:action); repeatable; needs --org.")
        List<String> permissions;
        @Option(names = "--expires-in", paramLabel = "DAYS", description = "Days until it expires (default and maximum: api_keys.max_lifetime).")
        Integer expiresInDays;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                ApiKeys.Created c = b.apiKeys().create(new ApiKeys.NewKey(owner(b, user), name, scope, permissions, org,
                        expiresInDays == null ? null : Duration.ofDays(expiresInDays)), RequestContext.SYSTEM);
                spec.commandLine().getOut().println(c.text());
                spec.commandLine().getErr().println("API key " + c.key().publicId() + " ('" + c.key().name() + "', id " + c.key().id()
                        + ") created. It is shown only now: store it.");
            } catch (LatchkeyException e) {
                throw new CliException(e.publicMessage());
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
                PrintWriter out = spec.commandLine().getOut();
                List<ApiKey> keys = b.apiKeys().list(owner(b, user));
                Instant now = Instant.now();
                out.printf("%-38s %-18s %-8s %-28s %-28s %s%n", "ID", "KEY ID", "STATE", "EXPIRES", "LAST USED", "NAME");
                for (ApiKey k : keys) {
                    out.printf("%-38s %-18s %-8s %-28s %-28s %s%n", k.id(), k.publicId(), k.state(now),
                            k.expiresAt() == null ? "never" : k.expiresAt(), k.lastUsedAt() == null ? "never" : k.lastUsedAt(), k.name());
                }
                out.println(keys.size() + (keys.size() == 1 ? " key" : " keys"));
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
            UUID uuid;
            try {
                uuid = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new CliException("'" + id + "' is not a key id (see `latchkey admin api-keys list`)");
            }
            try (Backend b = options.openBackend()) {
                b.apiKeys().revoke(owner(b, user), uuid, RequestContext.SYSTEM);
                spec.commandLine().getOut().println("revoked API key " + id);
            } catch (LatchkeyException e) {
                throw new CliException(e.publicMessage());
            }
        }
    }
}
