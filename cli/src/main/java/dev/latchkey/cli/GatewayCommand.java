package dev.latchkey.cli;

import dev.latchkey.gateway.GatewayServer;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.config.GatewayConfigException;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import dev.latchkey.server.LogSetup;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey gateway}: the backend-for-frontend, configured by LATCHKEY_GATEWAY_* variables (docs/gateway.md). */
@Command(name = "gateway", description = "Run the Latchkey gateway (backend-for-frontend): sign-in, sessions, token-relay proxy, "
        + "forward auth. Configured by LATCHKEY_GATEWAY_* variables; see docs/gateway.md.")
final class GatewayCommand implements Runnable {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of LATCHKEY_GATEWAY_* settings; the environment overrides it.")
    Path file;

    @Option(names = "--check", description = "Validate the configuration, print the problems (if any) and exit.")
    boolean check;

    private final Map<String, String> env;

    GatewayCommand() {
        this(System.getenv());
    }

    GatewayCommand(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public void run() {
        GatewayConfig cfg;
        try {
            cfg = GatewayConfigLoader.load(settings());
        } catch (GatewayConfigException e) {
            throw new CliException(e.getMessage());
        }
        if (check) {
            cfg.warnings().forEach(w -> System.out.println("warning: " + w));
            System.out.println("gateway configuration OK");
            return;
        }
        LogSetup.apply(cfg.ops().logFormat(), cfg.ops().logLevel());
        GracefulExit.awaitSignal(GatewayServer.start(cfg));
    }

    private Map<String, String> settings() {
        Map<String, String> all = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k).strip()));
        }
        all.putAll(env);
        return all;
    }
}
