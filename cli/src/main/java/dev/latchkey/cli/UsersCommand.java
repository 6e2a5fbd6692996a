package dev.latchkey.cli;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.server.Backend;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latchkey users …}: accounts from the command line. */
@Command(name = "users", description = "Manage user accounts.",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.Disable.class,
                UsersCommand.Enable.class, UsersCommand.Delete.class, UsersCommand.Import.class, UsersCommand.Update.class})
final class UsersCommand {
    private static final RequestContext CLI = new RequestContext(null, "latchkey-cli", null);

    @Command(name = "create", description = "Create a user (the password is read from the terminal, or from stdin with --password-stdin).")
    static final class Create implements Runnable {
        @Mixin
        ConfigOptions options;
        @Option(names = "--email", required = true)
        String email;
        @Option(names = "--name")
        String name;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public void run() {
            String password = readPassword(passwordStdin);
            try (Backend b = options.openBackend()) {
                User u = b.accounts().signup(new SignupRequest(email, password, name), CLI);
                System.out.println("created user " + u.id() + " <" + u.email() + ">");
            }
        }
    }

    @Command(name = "list", description = "List users.")
    static final class ListUsers implements Runnable {
        @Mixin
        ConfigOptions options;
        @Option(names = "--offset", defaultValue = "0")
        int offset;
        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                System.out.printf("%-38s %-9s %s%n", "ID", "STATUS", "EMAIL");
                for (User u : b.users().list(offset, Math.min(limit, 10_000))) {
                    System.out.printf("%-38s %-9s %s%n", u.id(), u.status().name().toLowerCase(Locale.ROOT), u.email());
                }
                System.out.println(b.users().count() + " users in total");
            }
        }
    }

    abstract static class OneUser implements Runnable {
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "USER", description = "E-mail address or user id.")
        String who;

        UUID resolve(Backend b) {
            try {
                return b.users().findById(UUID.fromString(who)).orElseThrow(() -> new CliException("no user " + who)).id();
            } catch (IllegalArgumentException e) {
                return b.users().findByEmail(EmailAddress.parse(who)).orElseThrow(() -> new CliException("no user " + who)).id();
            }
        }
    }

    @Command(name = "disable", description = "Disable a user: every session and token ends at once.")
    static final class Disable extends OneUser {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                b.accounts().setStatus(resolve(b), UserStatus.DISABLED, CLI);
                System.out.println("disabled " + who);
            }
        }
    }

    @Command(name = "enable", description = "Enable a disabled user.")
    static final class Enable extends OneUser {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                b.accounts().setStatus(resolve(b), UserStatus.ACTIVE, CLI);
                System.out.println("enabled " + who);
            }
        }
    }

    @Command(name = "delete", description = "Delete a user with all sessions and credentials.")
    static final class Delete extends OneUser {
        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                b.accounts().delete(resolve(b), CLI);
                System.out.println("deleted " + who);
            }
        }
    }

    @Command(name = "update", description = "Change a user's profile: --name sets the display name (--name \"\" clears it). "
            + "Every server node forgets its cached copy of the user at once.")
    static final class Update extends OneUser {
        @Option(names = "--name", required = true, description = "The new display name (empty: none).")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Backend b = options.openBackend()) {
                User u = b.accounts().rename(resolve(b), name, CLI);
                spec.commandLine().getOut().println("updated " + u.id() + " <" + u.email() + ">: name " + (u.name() == null ? "(none)" : "\"" + u.name() + "\""));
            }
        }
    }

    @Command(name = "import", description = "Import users with existing password hashes (bcrypt, PBKDF2-SHA256, scrypt, Argon2) "
            + "from JSON ([{\"email\",\"password_hash\",\"name\",\"email_verified\"}]) or CSV (header: email,password_hash,name,email_verified). "
            + "Passwords are re-hashed to Argon2id at each user's first sign-in.")
    static final class Import implements Runnable {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOptions options;
        @Option(names = "--file", required = true)
        Path file;
        @Option(names = "--format", description = "json or csv (default: from the file name)")
        String format;
        @Option(names = "--dry-run", description = "Validate only.")
        boolean dryRun;

        @Override
        public void run() {
            String fmt = format != null ? format.toLowerCase(Locale.ROOT)
                    : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "json";
            List<UserImport.Row> rows;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows = switch (fmt) {
                    case "json" -> UserImport.readJson(in);
                    case "csv" -> UserImport.readCsv(in);
                    default -> throw new CliException("--format must be json or csv");
                };
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
            try (Backend b = options.openBackend()) {
                UserImport.Report r = UserImport.run(rows, b.users(), b.clock(), dryRun);
                r.errors().forEach(e -> spec.commandLine().getErr().println("skipped " + e));
                if (!dryRun && r.imported() > 0) {
                    b.audit().record(AuditEvent.of(AuditType.USER_IMPORTED, b.clock().instant(), CLI)
                            .detail(r.imported() + " users from " + file.getFileName()).build());
                }
                spec.commandLine().getOut().printf("%s %d users; %d already existed (left unchanged); %d rows with errors%n",
                        dryRun ? "would import" : "imported", r.imported(), r.skippedExisting(), r.errors().size());
                if (!r.errors().isEmpty()) {
                    throw new CliException(r.errors().size() + " rows were not imported");
                }
            }
        }
    }

    static String readPassword(boolean fromStdin) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException("no password on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new CliException("cannot read standard input: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException("no terminal to ask for the password; use --password-stdin");
        }
        char[] a = console.readPassword("Password: ");
        char[] b = console.readPassword("Repeat password: ");
        if (a == null || b == null || !Arrays.equals(a, b)) {
            throw new CliException("the passwords differ");
        }
        return new String(a);
    }
}
