package dev.latchkey.cli;

import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.LogSetup;
import dev.latchkey.server.config.LatchkeyConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code latchkey dev}: everything on embedded defaults, for a laptop. */
@Command(name = "dev", description = "Start Latchkey on embedded defaults (embedded PostgreSQL under ./.latchkey, http://localhost:8080), "
        + "with the gateway on http://localhost:8000 in front of a demo app.")
final class DevCommand implements Runnable {
    @Mixin
    ConfigOptions options;

    @Option(names = "--gateway-port", defaultValue = "8000", description = "Port of the gateway (backend-for-frontend) in front of the demo app (default ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(names = "--demo-port", defaultValue = "8090", description = "Port of the demo app, reached through the gateway (default ${DEFAULT-VALUE}).")
    int demoPort;

    @Option(names = "--no-demo", description = "Start only the server: no gateway, no demo app.")
    boolean noDemo;

    @Override
    public void run() {
        LatchkeyConfig cfg = options.load(LatchkeyConfig.Mode.DEV, Map.of("http.host", "127.0.0.1", "log.format", "text"));
        LogSetup.apply(cfg.ops().logFormat(), cfg.ops().logLevel());
        LatchkeyServer server = LatchkeyServer.start(cfg);
        DevStack stack = null;
        try {
            stack = noDemo ? null : DevStack.start(server, gatewayPort, demoPort, cfg.ops().logFormat(), cfg.ops().logLevel());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        System.out.print(banner(cfg, stack));
        DevStack running = stack;
        awaitShutdown(() -> {
            if (running != null) {
                running.close();
            }
            server.close();
        });
    }

    private String banner(LatchkeyConfig cfg, DevStack stack) {
        String base = cfg.http().issuer();
        String demo = stack == null ? "" : """

                    Open the demo:      http://localhost:%d/dashboard
                      (the gateway sends you to the hosted sign-in, then back to a dashboard with your notes;
                       the browser holds one HttpOnly cookie, the notes API gets a Bearer token, Postgres RLS
                       keeps each user's notes their own)
                """.formatted(gatewayPort);
        return """

                  Latchkey is running (dev mode, data in %s)
                %s
                    Sign up:            %s/signup
                    Sign in:            %s/login
                    First-party API:    %s/api/auth/{signup,login,refresh,logout,me,sessions}
                    OpenID Connect:     %s/.well-known/openid-configuration
                    JWKS:               %s/.well-known/jwks.json
                    Health / metrics:   %s/health/ready  %s/metrics
                    %s

                  Create the first admin, from another terminal in this folder:
                    ./latchkey admin keys create --name me         (prints a key for the admin API, /admin/v1)
                    ./latchkey users create --email you@example.com   (asks for the password)

                  Stop with Ctrl-C; users, sessions and keys are kept for the next start.

                """.formatted(cfg.storage().dataDir().toAbsolutePath(), demo, base, base, base, base, base, base, base,
                cfg.mail().smtp().isPresent() ? "Mail:               sent over SMTP (" + cfg.mail().smtp().get().host() + ")"
                        : "Dev mailbox:        " + base + "/dev/mail   (mails land there; their links are printed here too)");
    }

    static void awaitShutdown(LatchkeyServer server) {
        awaitShutdown(server::close);
    }

    static void awaitShutdown(Runnable close) {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            done.countDown();
        }));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
