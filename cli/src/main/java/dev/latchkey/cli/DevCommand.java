package dev.latchkey.cli;

import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.LogSetup;
import dev.latchkey.server.config.LatchkeyConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code latchkey dev}: everything on embedded defaults, for a laptop. */
@Command(name = "dev", description = "Start Latchkey on embedded defaults (embedded PostgreSQL under ./.latchkey, http://localhost:8080).")
final class DevCommand implements Runnable {
    @Mixin
    ConfigOptions options;

    @Override
    public void run() {
        LatchkeyConfig cfg = options.load(LatchkeyConfig.Mode.DEV, Map.of("http.host", "127.0.0.1", "log.format", "text"));
        LogSetup.apply(cfg.ops().logFormat(), cfg.ops().logLevel());
        LatchkeyServer server = LatchkeyServer.start(cfg);
        String base = cfg.http().issuer();
        System.out.printf("""

                  Latchkey is running (dev mode, data in %s)

                    Sign up:            %s/signup
                    Sign in:            %s/login
                    First-party API:    %s/api/auth/{signup,login,refresh,logout,me,sessions}
                    OpenID Connect:     %s/.well-known/openid-configuration
                    JWKS:               %s/.well-known/jwks.json
                    Health / metrics:   %s/health/ready  %s/metrics

                  Create the first user from a terminal:
                    ./latchkey users create --email you@example.com   (asks for the password)

                  Stop with Ctrl-C; users, sessions and keys are kept for the next start.

                """, cfg.storage().dataDir().toAbsolutePath(), base, base, base, base, base, base, base);
        awaitShutdown(server);
    }

    static void awaitShutdown(LatchkeyServer server) {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            done.countDown();
        }));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
