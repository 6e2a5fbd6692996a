package dev.latchkey.cli;

import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} (or {@code LATCHKEY_CONFIG}) plus the environment. The environment is the
 * process's own unless {@link Main#commandLine(Map)} was given another (tests do).
 */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (properties); LATCHKEY_* variables override it.")
    Path file;

    private final Map<String, String> env;

    ConfigOptions() {
        this(System.getenv());
    }

    ConfigOptions(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
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
        boolean external = env.get("LATCHKEY_DATABASE_URL") != null;
        return load(external ? LatchkeyConfig.Mode.PRODUCTION : LatchkeyConfig.Mode.DEV, Map.of("log.format", "text", "log.level", "warn"));
    }
}
