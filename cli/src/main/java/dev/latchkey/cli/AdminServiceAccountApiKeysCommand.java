package dev.latchkey.cli;

import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.server.Backend;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code latchkey admin service-accounts api-keys …}: a service account's API keys
 * ({@code /admin/v1/orgs/{id}/service-accounts/{sa}/api-keys}); a key belongs to the account's organization, and
 * its tokens carry the account's roles there.
 */
@Command(name = "api-keys", description = "Create, list and revoke a service account's API keys.",
        subcommands = {AdminServiceAccountApiKeysCommand.Create.class, AdminServiceAccountApiKeysCommand.ListKeys.class,
                AdminServiceAccountApiKeysCommand.Revoke.class})
final class AdminServiceAccountApiKeysCommand {

    /** {@code --org ORG ACCOUNT}: the account, which must be of that organization. */
    abstract static class OfAccount extends AdminServiceAccountsCommand.InOrg {
        @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The service account's id.")
        String account;

        /** The account's organization and the account as a key owner (No such service account. otherwise). */
        ApiKeyOwner owner(Backend b, UUID orgId) {
            UUID sa = AdminServiceAccountsCommand.id("ACCOUNT", account);
            b.serviceAccounts().get(orgId, sa);
            return new ApiKeyOwner.ServiceAccount(sa);
        }
    }

    @Command(name = "create", description = "Create an API key for a service account; it is printed once (only its HMAC is stored).")
    static final class Create extends OfAccount implements Runnable {
        @Mixin
        AdminApiKeysCommand.KeyOptions key;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    UUID orgId = org(b);
                    AdminApiKeysCommand.create(b, spec, key.key(owner(b, orgId), orgId));
                });
            }
        }
    }

    @Command(name = "list", description = "List a service account's API keys (never their text).")
    static final class ListKeys extends OfAccount implements Runnable {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> AdminApiKeysCommand.list(b, out(), owner(b, org(b))));
            }
        }
    }

    @Command(name = "revoke", description = "Revoke a service account's API key at once.")
    static final class Revoke extends OfAccount implements Runnable {
        @Parameters(index = "1", paramLabel = "KEY_ID", description = "The key's id, as `latchkey admin service-accounts api-keys list` shows it.")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> AdminApiKeysCommand.revoke(b, out(), owner(b, org(b)), id,
                        "latchkey admin service-accounts api-keys list --org " + org + " " + account));
            }
        }
    }
}
