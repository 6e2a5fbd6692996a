package dev.latchkey.cli;

import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.LogSetup;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.store.sql.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latchkey dev}: everything on embedded defaults, for a laptop. */
@Command(name = "dev", description = "Start Latchkey on embedded defaults (embedded PostgreSQL under ./.latchkey, http://localhost:8080), "
        + "with the gateway on http://localhost:8000 in front of a demo app.")
final class DevCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--gateway-port", paramLabel = "PORT",
            description = "Port of the gateway (backend-for-frontend) in front of the demo app (default: LATCHKEY_GATEWAY_PORT, else 8000).")
    Integer gatewayPort;

    @Option(names = "--demo-port", defaultValue = "8090", description = "Port of the demo app, reached through the gateway (default ${DEFAULT-VALUE}).")
    int demoPort;

    @Option(names = "--no-demo", description = "Start only the server: no gateway, no demo app.")
    boolean noDemo;

    @Option(names = "--nextjs", arity = "0..1", fallbackValue = "examples/nextjs", paramLabel = "DIR",
            description = "Put the Next.js example (default examples/nextjs, built with `npm ci && npm run build`; needs Node 20.9+) "
                    + "behind the gateway instead of the demo's pages; the notes API stays.")
    java.nio.file.Path nextjs;

    @Option(names = "--nextjs-port", defaultValue = "3000", description = "Port of the Next.js example, reached through the gateway (default ${DEFAULT-VALUE}).")
    int nextjsPort;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (noDemo && nextjs != null) {
            throw new CliException("--nextjs needs the gateway and the notes API: drop --no-demo");
        }
        LatchkeyConfig cfg = options.load(LatchkeyConfig.Mode.DEV, Map.of("http.host", "127.0.0.1", "log.format", "text"));
        LogSetup.apply(cfg.ops().logFormat(), cfg.ops().logLevel());
        Path dataDir = cfg.storage().dataDir();
        LatchkeyServer server = startServer(cfg);
        DevStack stack = null;
        try {
            // from now on the other commands (the second terminal) use this process's embedded PostgreSQL
            server.backend().embeddedPostgres().ifPresent(pg -> DevInstance.publish(dataDir, pg.port()));
            if (noDemo) {
                options.env().keySet().stream().filter(k -> k.startsWith(DevGatewaySettings.PREFIX)).sorted()
                        .forEach(k -> LOG.warn("ignoring {}: latchkey dev --no-demo runs no gateway", k));
            } else {
                NextjsFrontend.Options next = nextjs == null ? null : new NextjsFrontend.Options(nextjs, nextjsPort);
                stack = DevStack.start(server, options.env(), gatewayPort, demoPort, DevStack.DEMO_DATABASE, cfg.ops().logFormat(),
                        cfg.ops().logLevel(), next);
            }
        } catch (RuntimeException e) {
            DevInstance.withdraw(dataDir);
            server.close();
            throw e;
        }
        System.out.print(banner(cfg, stack, server.managementPort()));
        System.out.flush();
        DevStack running = stack;
        GracefulExit.awaitSignal(() -> {
            DevInstance.withdraw(dataDir);
            try {
                if (running != null) {
                    running.close();
                }
            } finally {
                server.close();
            }
        });
    }

    /** The server, waiting while another latchkey command has the data folder's embedded PostgreSQL. */
    private LatchkeyServer startServer(LatchkeyConfig cfg) {
        FolderWait wait = new FolderWait(cfg.storage().dataDir(), spec.commandLine().getErr());
        while (true) {
            try {
                return LatchkeyServer.start(cfg);
            } catch (EmbeddedPostgres.FolderInUseException busy) {
                Optional<DevInstance> running = DevInstance.find(cfg.storage().dataDir());
                if (running.isPresent()) {
                    throw new CliException("latchkey dev is already running on " + cfg.storage().dataDir().toAbsolutePath() + " (process "
                            + running.get().pid() + "); stop it first, or give this one another LATCHKEY_DATA_DIR");
                }
                wait.pause(busy);
            }
        }
    }

    /** The demo's organizations and how a signed-up user joins them (an admin call; dev adds no one by itself). */
    static String organizations(String base, DevStack stack) {
        StringBuilder b = new StringBuilder("""

                    Demo organizations (each has role %s = %s, which writes the organization's notes):
                """.formatted(DemoOrganizations.WRITER, String.join(" ", DemoOrganizations.WRITER_PERMISSIONS)));
        for (var o : stack.organizations()) {
            b.append("      %-16s %s  (%s)%n".formatted(o.name(), o.id(), o.slug()));
        }
        b.append("""
                      join one after signing up (the admin key from `./latchkey admin keys create` below):
                        curl -X PUT %s/admin/v1/orgs/<org id>/members/you@example.com \\
                          -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"roles":["%s"]}'
                      in two, you choose one at sign-in and switch on the dashboard.
                """.formatted(base, DemoOrganizations.WRITER));
        return b.toString();
    }

    private String banner(LatchkeyConfig cfg, DevStack stack, java.util.OptionalInt managementPort) {
        String base = cfg.http().issuer();
        String demo = stack == null ? "" : """

                    Open the demo:      %s/dashboard%s
                      (the gateway sends you to the hosted sign-in, then back to a dashboard with your notes;
                       the browser holds one HttpOnly cookie, the notes API gets a Bearer token, Postgres RLS
                       keeps each user's notes their own)
                """.formatted(stack.gatewayUrl(), stack.nextjs().isPresent() ? "   (pages by the Next.js example, docs/nextjs.md)" : "")
                + (stack.fromEnvironment().isEmpty() ? "" : "      (gateway settings from the environment: "
                        + String.join(", ", stack.fromEnvironment()) + ")\n")
                + organizations(base, stack);
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

                  Create the first admin, from another terminal in this folder (the commands use this
                  instance's database while it runs):
                    ./latchkey admin keys create --name me         (prints a key for the admin API, /admin/v1)
                    ./latchkey users create --email you@example.com   (asks for the password)

                  Stop with Ctrl-C; users, sessions and keys are kept for the next start.

                """.formatted(cfg.storage().dataDir().toAbsolutePath(), demo, base, base, base, base, base, base,
                // with LATCHKEY_MANAGEMENT_PORT, /metrics is served only on the management listener
                managementPort.isPresent() ? "http://localhost:" + managementPort.getAsInt() : base,
                cfg.mail().smtp().isPresent() ? "Mail:               sent over SMTP (" + cfg.mail().smtp().get().host() + ")"
                        : "Dev mailbox:        " + base + "/dev/mail   (mails land there; their links are printed here too)");
    }
}
