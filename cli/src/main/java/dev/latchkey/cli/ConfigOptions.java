package dev.latchkey.cli;

import dev.latchkey.server.Backend;
import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.config.Settings;
import dev.latchkey.store.sql.EmbeddedPostgres;
import dev.latchkey.store.sql.PostgresUrl;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE} (or {@code LATCHKEY_CONFIG}) plus the environment. The environment is the
 * process's own unless {@link Main#commandLine(Map)} was given another (tests do).
 */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (properties); LATCHKEY_* variables override it.")
    Path file;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private final Map<String, String> env;

    ConfigOptions() {
        this(System.getenv());
    }

    ConfigOptions(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The environment the command reads its settings from. */
    Map<String, String> env() {
        return env;
    }

    LatchkeyConfig load(LatchkeyConfig.Mode mode, Map<String, String> overrides) {
        Path f = file;
        if (f == null && env.get("LATCHKEY_CONFIG") != null) {
            f = Path.of(env.get("LATCHKEY_CONFIG"));
        }
        if (f != null && !Files.isRegularFile(f)) {
            throw new CliException("configuration file not found: " + f);
        }
        return ConfigLoader.load(mode, env, Optional.ofNullable(f), overrides);
    }

    /** For admin commands: production rules unless no database URL is set, then the dev data folder. */
    LatchkeyConfig loadForTools() {
        return loadForTools(Map.of());
    }

    private LatchkeyConfig loadForTools(Map<String, String> more) {
        boolean external = env.get("LATCHKEY_DATABASE_URL") != null;
        Map<String, String> overrides = new HashMap<>(Map.of("log.format", "text", "log.level", "warn"));
        overrides.putAll(more);
        return load(external ? LatchkeyConfig.Mode.PRODUCTION : LatchkeyConfig.Mode.DEV, overrides);
    }

    /**
     * The services for an admin or user command. With a database URL, on that database. Without one, on the
     * data folder's embedded PostgreSQL: the running {@code latchkey dev}'s when there is one
     * ({@link DevInstance}), otherwise one started for the command (and stopped when it closes the backend),
     * waiting while another process has the folder ({@link FolderWait}).
     */
    Backend openBackend() {
        LatchkeyConfig cfg = loadForTools();
        if (cfg.storage().databaseUrl().isPresent()) {
            return open(cfg, "the database " + redacted(cfg.storage().databaseUrl().get()),
                    "check LATCHKEY_DATABASE_URL, or database.url in the configuration file, and that the database is up");
        }
        Path dataDir = cfg.storage().dataDir();
        if (Files.notExists(dataDir)) {
            // most likely the command runs in another folder than latchkey dev: say so before making a second database
            err().println("latchkey: " + dataDir.toAbsolutePath() + " does not exist yet: starting a new embedded database there "
                    + "(latchkey dev keeps its data in " + dataDir + " of the folder it runs in; LATCHKEY_DATA_DIR changes that)");
        }
        FolderWait wait = new FolderWait(dataDir, err());
        while (true) {
            Optional<DevInstance> dev = DevInstance.find(dataDir);
            if (dev.isPresent()) {
                LatchkeyConfig onDev = loadForTools(Map.of(Settings.DATABASE_URL.key(), dev.get().database().jdbcUrl()));
                try {
                    return open(onDev, "the embedded database of the latchkey dev running on " + dataDir.toAbsolutePath()
                            + " (process " + dev.get().pid() + ")", "check that latchkey dev is still running");
                } catch (RuntimeException e) {
                    if (DevInstance.find(dataDir).isPresent()) {
                        throw e;
                    }
                    continue;   // dev stopped in between: start the embedded database here
                }
            }
            try {
                return open(cfg, "the embedded database in " + dataDir.toAbsolutePath(),
                        "set LATCHKEY_DATA_DIR to another folder, or LATCHKEY_DATABASE_URL to use another PostgreSQL");
            } catch (EmbeddedPostgres.FolderInUseException busy) {
                wait.pause(busy);
            }
        }
    }

    /** Opens the backend; a database that cannot be reached or used is one clear line naming it. */
    private static Backend open(LatchkeyConfig cfg, String what, String hint) {
        try {
            return Backend.open(cfg, Clock.systemUTC());
        } catch (EmbeddedPostgres.FolderInUseException e) {
            throw e;
        } catch (RuntimeException e) {
            Optional<SQLException> sql = Failures.sql(e);
            if (sql.isPresent()) {
                throw new CliException("cannot use " + what + ": " + Failures.describe(sql.get()) + " (" + hint + ")", e);
            }
            if (String.valueOf(e.getMessage()).startsWith("cannot start the embedded PostgreSQL")) {
                throw new CliException(Failures.describe(e) + " (" + hint + ")", e);
            }
            throw e;
        }
    }

    private static String redacted(PostgresUrl url) {
        return url.jdbcUrl().replaceAll("password=[^&]*", "password=***");
    }

    private PrintWriter err() {
        return command != null ? command.commandLine().getErr()
                : new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    }
}
