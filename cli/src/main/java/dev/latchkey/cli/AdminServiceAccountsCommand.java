package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.org.ServiceAccount;
import dev.latchkey.server.Backend;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey admin service-accounts …}: an organization's service accounts and the clients they own. */
@Command(name = "service-accounts", description = "Create, list, change and delete an organization's service accounts, their clients and API keys.",
        subcommands = {AdminServiceAccountsCommand.Create.class, AdminServiceAccountsCommand.ListAccounts.class,
                AdminServiceAccountsCommand.Update.class, AdminServiceAccountsCommand.Delete.class, AdminServiceAccountsCommand.AddClient.class,
                AdminServiceAccountApiKeysCommand.class})
final class AdminServiceAccountsCommand {

    static UUID id(String label, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new CliException(label + " '" + value + "' is not an id");
        }
    }

    abstract static class InOrg {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization that owns the account "
                + "(id, slug or exact name).")
        String org;

        UUID org(Backend b) {
            return OrgReference.resolve(b, org).id();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    static String line(ServiceAccount a) {
        return a.id() + " " + a.subject() + " " + a.name() + (a.disabled() ? " (disabled)" : "") + " roles=" + String.join(",", a.roles());
    }

    @Command(name = "create", description = "Create a service account with the organization's roles given by --role.")
    static final class Create extends InOrg implements Runnable {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--role", paramLabel = "ROLE", description = "A role of the account in its organization (repeatable).")
        List<String> roles = List.of();
        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> out().println(line(b.serviceAccounts().create(org(b), name, description, roles, RequestContext.SYSTEM))));
            }
        }
    }

    @Command(name = "list", description = "List an organization's service accounts.")
    static final class ListAccounts extends InOrg implements Runnable {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    int n = 0;
                    UUID after = null;
                    List<ServiceAccount> page;
                    do {
                        page = b.serviceAccounts().list(org(b), after, 200);
                        for (ServiceAccount a : page) {
                            out().println(line(a));
                            after = a.id();
                            n++;
                        }
                    } while (page.size() == 200);
                    out().println(n + (n == 1 ? " service account" : " service accounts"));
                });
            }
        }
    }

    @Command(name = "update", description = "Change a service account's name, description, roles (--role, replacing them all), or disable/enable it.")
    static final class Update extends InOrg implements Runnable {
        @Parameters(paramLabel = "ID")
        String account;
        @Option(names = "--name", paramLabel = "NAME")
        String name;
        @Option(names = "--description", paramLabel = "TEXT")
        String description;
        @Option(names = "--role", paramLabel = "ROLE", description = "The account's roles from now on (repeatable).")
        List<String> roles;
        @Option(names = "--disabled", arity = "1", paramLabel = "true|false", description = "Disable (its tokens are refused at once) or enable it.")
        Boolean disabled;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> out().println(line(b.serviceAccounts().update(org(b), id("ID", account), name, description, roles,
                        disabled, RequestContext.SYSTEM))));
            }
        }
    }

    @Command(name = "delete", description = "Delete a service account and the clients it owns.")
    static final class Delete extends InOrg implements Runnable {
        @Parameters(paramLabel = "ID")
        String account;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    b.serviceAccounts().delete(org(b), id("ID", account), RequestContext.SYSTEM);
                    out().println("deleted service account " + account);
                });
            }
        }
    }

    @Command(name = "add-client", description = "Register a client_credentials client owned by the account; prints its secret once.")
    static final class AddClient extends InOrg implements Runnable {
        @Parameters(paramLabel = "ID")
        String account;
        @Option(names = "--name", paramLabel = "NAME")
        String name;
        @Option(names = "--audience", paramLabel = "URI", description = "A resource its tokens may name (repeatable).")
        List<String> audiences = List.of();

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                AdminRolesCommand.run(() -> {
                    ClientRegistry.Registered r = b.serviceAccountClients().create(org(b), id("ID", account), name, audiences, RequestContext.SYSTEM);
                    out().println("client_id     " + r.client().clientId());
                    out().println("client_secret " + r.secret());
                });
            }
        }
    }
}
