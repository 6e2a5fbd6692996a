package dev.latchkey.cli;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.IdentityProviders;
import dev.latchkey.core.identity.ProviderDefinition;
import dev.latchkey.server.Backend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey idp …}: the upstream identity providers stored in the database (docs/identity-providers.md).
 * Providers of the configuration are listed too but changed only there.
 */
@Command(name = "idp", description = "Manage upstream identity providers (sign in with GitHub, Google, OIDC …).",
        subcommands = {IdpCommand.ListProviders.class, IdpCommand.Add.class, IdpCommand.Remove.class})
final class IdpCommand {
    private IdpCommand() {
    }

    @Command(name = "list", description = "List the identity providers (configured and stored).")
    static final class ListProviders implements Runnable {
        @Mixin
        ConfigOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                IdentityProviders providers = b.signIn().federation().providers();
                var out = spec.commandLine().getOut();
                out.printf("%-16s %-8s %-10s %-7s %-8s %s%n", "NAME", "SOURCE", "PRESET", "ENABLED", "SECRET", "ISSUER / AUTHORIZATION");
                for (IdentityProvider p : providers.all()) {
                    out.printf("%-16s %-8s %-10s %-7s %-8s %s%n", p.name(), providers.configured(p.name()) ? "config" : "stored",
                            p.preset().wireName(), p.enabled() ? "yes" : "no", p.clientSecret() == null ? "-" : "set",
                            p.endpoints().issuer().or(() -> p.endpoints().authorization()).map(Object::toString).orElse(""));
                }
            }
        }
    }

    @Command(name = "add", description = "Add or replace a stored provider. Register the redirect URI <public_url>/login/idp/callback "
            + "at the provider. The client secret is read from standard input (--client-secret-stdin) and stored encrypted.")
    static final class Add implements Runnable {
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME", description = "1 to 32 lower-case letters and digits (the idp hint and claim).")
        String name;
        @Option(names = "--preset", description = "oidc, oauth2, google, microsoft, github, gitlab, apple or latchkey (default oidc).")
        String preset;
        @Option(names = "--issuer", description = "OpenID Connect issuer URL.")
        String issuer;
        @Option(names = "--client-id", required = true)
        String clientId;
        @Option(names = "--label", description = "Button text on the sign-in page.")
        String label;
        @Option(names = "--client-secret-stdin", description = "Read the client secret (apple: the .p8 key, all lines) from standard input.")
        boolean secretStdin;
        @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Any other provider field, e.g. --set trusted_emails=true.")
        List<String> set = List.of();
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, String> fields = new HashMap<>();
            for (String s : set) {
                int eq = s.indexOf('=');
                if (eq <= 0 || !ProviderDefinition.known(s.substring(0, eq))) {
                    throw new CliException("--set takes FIELD=VALUE with a known field (docs/identity-providers.md): " + s);
                }
                fields.put(s.substring(0, eq), s.substring(eq + 1));
            }
            put(fields, "preset", preset);
            put(fields, "issuer", issuer);
            put(fields, "client_id", clientId);
            put(fields, "label", label);
            if (secretStdin) {
                fields.put("client_secret", readAll());
            }
            try (Backend b = options.openBackend()) {
                IdentityProvider p = b.signIn().federation().providers().put(name, fields::get);
                spec.commandLine().getOut().println("saved identity provider " + p.name() + " (" + p.preset().wireName() + ", "
                        + (p.clientSecret() == null ? "no client secret" : "client secret stored encrypted") + ")");
            } catch (LatchkeyException e) {
                throw new CliException(e.publicMessage());
            }
        }

        private static void put(Map<String, String> m, String k, String v) {
            if (v != null) {
                m.put(k, v);
            }
        }

        private static String readAll() {
            try {
                String s = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (s.isEmpty()) {
                    throw new CliException("no client secret on standard input");
                }
                return s;
            } catch (java.io.IOException e) {
                throw new CliException("cannot read standard input: " + e.getMessage());
            }
        }
    }

    @Command(name = "remove", description = "Remove a stored provider. Identities it linked stay, and sign in again if it is added back.")
    static final class Remove implements Runnable {
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "NAME")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                b.signIn().federation().providers().remove(name);
                spec.commandLine().getOut().println("removed identity provider " + name);
            } catch (LatchkeyException e) {
                throw new CliException(e.publicMessage());
            }
        }
    }
}
