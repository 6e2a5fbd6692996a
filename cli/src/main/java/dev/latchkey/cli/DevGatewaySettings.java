package dev.latchkey.cli;

import dev.latchkey.gateway.config.GatewaySettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code LATCHKEY_GATEWAY_*} settings of the gateway that {@code latchkey dev} runs: dev's values
 * (its server, its embedded database, the demo app behind it) under the ones the environment sets,
 * which win. Two cannot be honoured as such and are warned about: the issuer (dev's gateway signs in at
 * the server dev runs) and a client id or secret without the other (dev then registers its own client).
 *
 * @param env             every setting for {@code GatewayConfigLoader}, without {@code CLIENT_SECRET} unless
 *                        {@code ownClient}: dev registers its client and adds the secret
 * @param ownClient       the environment names the client (id and secret) and dev registers none
 * @param fromEnvironment the variables taken from the environment (for the banner)
 * @param warnings        one line per variable not honoured
 */
record DevGatewaySettings(Map<String, String> env, boolean ownClient, List<String> fromEnvironment, List<String> warnings) {
    static final String PREFIX = "LATCHKEY_GATEWAY_";
    static final int DEFAULT_PORT = 8000;

    DevGatewaySettings {
        env = Map.copyOf(env);
        fromEnvironment = List.copyOf(fromEnvironment);
        warnings = List.copyOf(warnings);
    }

    /** What dev decides for itself; the environment may change all but the issuer. */
    record Dev(String issuer, String databaseJdbcUrl, String masterKey, String demoUpstream, String logFormat, String logLevel) {
    }

    /**
     * @param processEnv the environment {@code latchkey dev} runs in
     * @param portOption {@code --gateway-port}, or null when not given (then {@code LATCHKEY_GATEWAY_PORT}, else 8000)
     */
    static DevGatewaySettings of(Map<String, String> processEnv, Integer portOption, Dev dev) {
        Map<String, String> given = new TreeMap<>();
        processEnv.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && v != null) {
                given.put(k, v.strip());
            }
        });
        List<String> warnings = new ArrayList<>();
        String issuer = GatewaySettings.ISSUER.envName();
        String clientId = GatewaySettings.CLIENT_ID.envName();
        String clientSecret = GatewaySettings.CLIENT_SECRET.envName();
        String portName = GatewaySettings.PORT.envName();
        if (given.containsKey(issuer)) {
            warnings.add("ignoring " + issuer + ": the gateway of latchkey dev signs in at the server latchkey dev runs ("
                    + dev.issuer() + "); LATCHKEY_PUBLIC_URL sets that server's URL");
            given.remove(issuer);
        }
        boolean ownClient = given.containsKey(clientId) && given.containsKey(clientSecret);
        if (!ownClient) {
            for (String half : List.of(clientId, clientSecret)) {
                if (given.remove(half) != null) {
                    warnings.add("ignoring " + half + ": set " + clientId + " and " + clientSecret + " together to use a client of your own; "
                            + "without both, latchkey dev registers and uses " + DevStack.GATEWAY_CLIENT);
                }
            }
        }
        int port = port(portOption, given.get(portName), warnings);
        given.remove(portName);

        Map<String, String> env = new HashMap<>();
        env.put(issuer, dev.issuer());
        env.put(clientId, DevStack.GATEWAY_CLIENT);
        env.put(GatewaySettings.HOST.envName(), "127.0.0.1");
        env.put(GatewaySettings.PUBLIC_URL.envName(), "http://localhost:" + port);
        env.put(GatewaySettings.ROUTES.envName(), "/api/notes=" + dev.demoUpstream());
        env.put(GatewaySettings.FRONTEND.envName(), dev.demoUpstream());
        env.put(GatewaySettings.PROTECTED_PATHS.envName(), "/dashboard");
        env.put(GatewaySettings.DEFAULT_PAGE.envName(), "/dashboard");
        env.put(GatewaySettings.DATABASE_URL.envName(), dev.databaseJdbcUrl());
        env.put(GatewaySettings.MASTER_KEY.envName(), dev.masterKey());
        env.put(GatewaySettings.LOG_FORMAT.envName(), dev.logFormat());
        env.put(GatewaySettings.LOG_LEVEL.envName(), dev.logLevel());
        env.putAll(given);
        env.put(portName, Integer.toString(port));

        List<String> fromEnvironment = new ArrayList<>(given.keySet());
        if (portOption == null && processEnv.containsKey(portName)) {
            fromEnvironment.add(portName);
        }
        fromEnvironment.sort(null);
        return new DevGatewaySettings(env, ownClient, fromEnvironment, warnings);
    }

    /**
     * Dev runs the server and the gateway, so it checks what neither can alone: the gateway's refresh lease must stay
     * below the server's grace window ({@code tokens.refresh_grace}), or a gateway node that dies mid-refresh, or a
     * refresh whose answer is lost, ends its users' sessions (the node that takes over presents a token the server no
     * longer forgives). Not below it at all: refused; above half of it: a warning.
     *
     * @return the warning, if any
     */
    static Optional<String> checkLease(Duration lease, Duration grace) {
        String leaseName = GatewaySettings.REFRESH_LEASE.envName();
        if (lease.compareTo(grace) >= 0) {
            throw new CliException(leaseName + " (" + text(lease) + ") must stay below the server's tokens.refresh_grace (" + text(grace)
                    + "), at most half of it: raise LATCHKEY_TOKENS_REFRESH_GRACE to at least " + text(lease.multipliedBy(2))
                    + " or lower " + leaseName);
        }
        if (lease.multipliedBy(2).compareTo(grace) > 0) {
            return Optional.of(leaseName + " (" + text(lease) + ") is more than half of the server's tokens.refresh_grace (" + text(grace)
                    + "): a gateway node that takes over a dead node's refresh may present its token after the window; "
                    + "keep the lease at most " + text(grace.dividedBy(2)));
        }
        return Optional.empty();
    }

    private static String text(Duration d) {
        return d.toMillisPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The port to listen on: the option, else the variable, else 8000; 0 (any free port) is chosen here, as the client's redirect URI needs it. */
    private static int port(Integer option, String variable, List<String> warnings) {
        String portName = GatewaySettings.PORT.envName();
        int port = DEFAULT_PORT;
        if (option != null) {
            if (variable != null && !variable.equals(option.toString())) {
                warnings.add("ignoring " + portName + "=" + variable + ": --gateway-port " + option + " was given");
            }
            port = option;
        } else if (variable != null) {
            try {
                port = Integer.parseInt(variable);
            } catch (NumberFormatException e) {
                throw new CliException(portName + ": not a port number: " + variable);
            }
        }
        if (port < 0 || port > 65535) {
            throw new CliException((option != null ? "--gateway-port" : portName) + ": must be between 0 and 65535");
        }
        return port == 0 ? freePort() : port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port for the gateway: " + e.getMessage(), e);
        }
    }
}
