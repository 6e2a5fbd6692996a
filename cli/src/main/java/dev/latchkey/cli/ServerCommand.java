package dev.latchkey.cli;

import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.LogSetup;
import dev.latchkey.server.config.LatchkeyConfig;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code latchkey server}: production, against external PostgreSQL (and optionally Redis). */
@Command(name = "server", description = "Run Latchkey in production: requires LATCHKEY_DATABASE_URL and LATCHKEY_MASTER_KEY.")
final class ServerCommand implements Runnable {
    @Mixin
    ConfigOptions options;

    @Override
    public void run() {
        LatchkeyConfig cfg = options.load(LatchkeyConfig.Mode.PRODUCTION, Map.of());
        LogSetup.apply(cfg.ops().logFormat(), cfg.ops().logLevel());
        GracefulExit.awaitSignal(LatchkeyServer.start(cfg));
    }
}
