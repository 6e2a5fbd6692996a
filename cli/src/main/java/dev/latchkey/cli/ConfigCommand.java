package dev.latchkey.cli;

import dev.latchkey.server.config.ConfigReference;
import dev.latchkey.server.config.LatchkeyConfig;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code latchkey config}: check the configuration, or print its reference. */
@Command(name = "config", description = "Check or document the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Docs.class})
final class ConfigCommand {
    @Command(name = "check", description = "Validate the configuration (as `latchkey server` would) and report every problem.")
    static final class Check implements Runnable {
        @Mixin
        ConfigOptions options;

        @Override
        public void run() {
            LatchkeyConfig cfg = options.load(LatchkeyConfig.Mode.PRODUCTION, Map.of());
            cfg.warnings().forEach(w -> System.out.println("warning: " + w));
            System.out.println("configuration is valid (issuer " + cfg.http().issuer() + ")");
        }
    }

    @Command(name = "docs", description = "Print the configuration reference (Markdown), as in docs/configuration.md.")
    static final class Docs implements Runnable {
        @Override
        public void run() {
            System.out.print(ConfigReference.markdown());
        }
    }
}
