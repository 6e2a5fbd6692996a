package dev.latchkey.cli;

import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.server.Backend;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey admin clients …}: OAuth clients, as {@code /admin/v1/clients} manages them. */
@Command(name = "clients", description = "Register and manage OAuth / OpenID Connect clients.",
        subcommands = {AdminClientsCommand.Create.class, AdminClientsCommand.ListClients.class, AdminClientsCommand.Update.class,
                AdminClientsCommand.Delete.class, AdminClientsCommand.RotateSecret.class})
final class AdminClientsCommand {

    @Command(name = "create", description = "Register a client. A confidential client's secret is printed once; store it then.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Mixin
        ClientOptions client;
        @Option(names = "--id", paramLabel = "CLIENT_ID", description = "client_id: letters, digits and ._~-, never of a UUID's form (that of user ids) (default: random).")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                ClientRegistry.Registered reg = b.clients().register(client.registration(id));
                PrintWriter out = spec.commandLine().getOut();
                out.println("created client " + reg.client().clientId());
                describe(reg.client(), out);
                printSecret(spec, reg);
            }
        }
    }

    @Command(name = "list", description = "List the registered clients.")
    static final class ListClients implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                Table t = new Table("CLIENT_ID", "AUTH_METHOD", "FIRST_PARTY", "GRANT_TYPES", "NAME");
                for (Client c : b.clients().list()) {
                    t.row(c.clientId(), c.authMethod().wireName(), c.firstParty() ? "yes" : "no", grants(c), c.name());
                }
                t.print(spec.commandLine().getOut(), "client", "clients");
            }
        }
    }

    @Command(name = "update", description = "Change a client: only the options given change; a repeatable option replaces its list. "
            + "The secret stays, unless the client changes to a secret method from one without a secret (the new one is printed once).")
    static final class Update implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "CLIENT_ID")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                Client current = b.clients().find(id).orElseThrow(() -> new CliException("no client " + id));
                ClientRegistry.Registered reg = b.clients().update(id, client.changes(current));
                PrintWriter out = spec.commandLine().getOut();
                out.println("updated client " + id);
                describe(reg.client(), out);
                printSecret(spec, reg);
            }
        }
    }

    @Command(name = "delete", description = "Delete a client with its pending codes and consents. It can no longer authenticate, so its refresh tokens "
            + "stop working; access tokens it already holds live until they expire.")
    static final class Delete implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "CLIENT_ID")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                if (!b.clients().delete(id)) {
                    throw new CliException("no client " + id);
                }
                spec.commandLine().getOut().println("deleted client " + id);
            }
        }
    }

    @Command(name = "rotate-secret", description = "Give a confidential client a new secret (printed once); the old one stops working.")
    static final class RotateSecret implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "CLIENT_ID")
        String id;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                if (b.clients().find(id).isEmpty()) {
                    throw new CliException("no client " + id);
                }
                ClientRegistry.Registered reg = b.clients().rotateSecret(id);
                spec.commandLine().getOut().println("new secret for client " + id);
                printSecret(spec, reg);
            }
        }
    }

    static void describe(Client c, PrintWriter out) {
        line(out, "client_id", c.clientId());
        line(out, "client_name", c.name());
        line(out, "token_endpoint_auth_method", c.authMethod().wireName() + (c.isPublic() ? " (public client)" : ""));
        line(out, "redirect_uris", String.join(" ", c.redirectUris()));
        line(out, "post_logout_redirect_uris", String.join(" ", c.postLogoutRedirectUris()));
        line(out, "grant_types", grants(c));
        line(out, "scope", String.join(" ", c.scopes().stream().sorted().toList()));
        line(out, "audiences", String.join(" ", c.audiences()));
        line(out, "first_party", Boolean.toString(c.firstParty()));
        line(out, "require_pushed_authorization_requests", Boolean.toString(c.requirePar()));
        line(out, "access_token_type", c.jwtTypedAccessTokens() ? "jwt" : "at+jwt");
        line(out, "id_token_signed_response_alg", c.idTokenSignedResponseAlg().wireName());
        line(out, "application_type", c.applicationType().wireName());
        if (c.jwks() != null) {
            line(out, "jwks", c.jwks());
        }
    }

    private static void line(PrintWriter out, String field, String value) {
        out.printf("  %-38s %s%n", field + ":", value.isEmpty() ? "-" : value);
    }

    private static String grants(Client c) {
        return String.join(",", c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
    }

    /** The secret on standard output (for scripts), the warning on standard error. */
    private static void printSecret(CommandSpec spec, ClientRegistry.Registered reg) {
        if (reg.secret() == null) {
            return;
        }
        spec.commandLine().getOut().println("client_secret: " + reg.secret());
        spec.commandLine().getErr().println("This secret is shown only now: store it. `latchkey admin clients rotate-secret "
                + reg.client().clientId() + "` replaces it.");
    }
}
