package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.key.StoredSigningKey;
import dev.latchkey.server.Backend;
import dev.latchkey.store.sql.PgSigningKeyStore;
import java.time.Instant;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey keys …}: signing keys and the master key. */
@Command(name = "keys", description = "Manage signing keys.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.ListKeys.class, KeysCommand.Retire.class, KeysCommand.Master.class})
final class KeysCommand {

    @Command(name = "rotate", description = "Publish a new signing key of every algorithm now (ES256 for access tokens and ES256 ID tokens, "
            + "RS256 for the other ID tokens); each signs after the pre-publication time (keys.prepublish), and the current keys stay "
            + "published until their tokens have expired. Safe while servers run.")
    static final class Rotate implements Runnable {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                b.keys().start();
                Instant before = Instant.now();
                b.keys().rotateNow();
                for (StoredSigningKey k : new PgSigningKeyStore(b.database().jdbc()).all()) {
                    if (k.createdAt().isBefore(before)) {
                        continue;
                    }
                    b.audit().record(AuditEvent.of(AuditType.SIGNING_KEY_ROTATED, Instant.now(), RequestContext.SYSTEM)
                            .subject(k.kid()).detail("cli " + k.algorithm()).build());
                    spec.commandLine().getOut().println("published " + k.algorithm() + " key " + k.kid() + "; it becomes active at "
                            + k.activatesAt());
                }
            }
        }
    }

    @Command(name = "list", description = "List signing keys (ES256 and RS256) and their state.")
    static final class ListKeys implements Runnable {
        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                Instant now = Instant.now();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-38s %-6s %-9s %-28s %s%n", "KID", "ALG", "STATE", "ACTIVATES", "RETIRES");
                for (StoredSigningKey k : new PgSigningKeyStore(b.database().jdbc()).all()) {
                    String state = !k.publishedAt(now) ? "retired" : k.activatesAt().isAfter(now) ? "next" : "published";
                    out.printf("%-38s %-6s %-9s %-28s %s%n", k.kid(), k.algorithm(), state, k.activatesAt(),
                            k.retiresAt() == null ? "-" : k.retiresAt());
                }
            }
        }
    }

    @Command(name = "retire", description = "Retire a key at once (e.g. after a compromise): it leaves the JWKS and tokens it signed stop verifying. "
            + "Rotate first so that another key can sign.")
    static final class Retire implements Runnable {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "KID")
        String kid;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                Instant now = Instant.now();
                if (!new PgSigningKeyStore(b.database().jdbc()).retire(kid, now)) {
                    throw new CliException("no published key with kid " + kid);
                }
                b.audit().record(AuditEvent.of(AuditType.SIGNING_KEY_RETIRED, now, RequestContext.SYSTEM).subject(kid).detail("cli").build());
                spec.commandLine().getOut().println("retired " + kid);
            }
        }
    }

    @Command(name = "master", description = "Print a new random master key for LATCHKEY_MASTER_KEY (keep it secret; losing it loses the signing keys).")
    static final class Master implements Runnable {
        @Override
        public void run() {
            System.out.println(MasterKey.generate().toBase64());
        }
    }
}
