package dev.latchkey.examples;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the demo app needs, validated once at start ({@link #validate()} reports every problem at once).
 * One listener serves both the pages and {@code /api/notes}.
 *
 * @param issuer            the Latchkey server's issuer URL, exactly as in {@code iss} (e.g. {@code http://localhost:8080})
 * @param apiAudience       the {@code aud} an access token must name to reach the notes API (Latchkey's default audience is the issuer)
 * @param gatewayUrl        the gateway's public URL: the {@code iss} of its {@code Latchkey-Assertion}; its keys are at {@code <gatewayUrl>/auth/jwks.json}
 * @param assertionAudience the {@code aud} of the assertion (the gateway's setting; default {@code latchkey-app})
 * @param database          where the notes live; the app migrates it with Flyway at start
 * @param feed              credentials for the issuer's revocation feed; without them revoked tokens stay valid until they expire
 * @param host              listen address
 * @param port              listen port (0: any free port; see {@link DemoApp#port()})
 * @param poolSize          database connections
 */
public record DemoConfig(String issuer, String apiAudience, String gatewayUrl, String assertionAudience, Database database,
                         Optional<Feed> feed, String host, int port, int poolSize) {
    public static final String DEFAULT_ASSERTION_AUDIENCE = "latchkey-app";

    public DemoConfig {
        Objects.requireNonNull(feed, "feed");
    }

    /**
     * @param jdbcUrl  a {@code jdbc:postgresql:} URL; the user it names must be able to create a schema and a role
     * @param user     optional, when not in the URL
     * @param password optional, when not in the URL; never logged
     */
    public record Database(String jdbcUrl, Optional<String> user, Optional<String> password) {
        public Database {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        public static Database of(String jdbcUrl) {
            return new Database(jdbcUrl, Optional.empty(), Optional.empty());
        }

        @Override
        public String toString() {
            return "Database[" + (jdbcUrl == null ? null : jdbcUrl.replaceAll("password=[^&]*", "password=***"))
                    + ", user=" + user.orElse("-") + "]";
        }
    }

    /** A confidential client of the issuer with scope {@code latchkey:revocations} (client_secret_basic). */
    public record Feed(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Feed[client_id=" + clientId + "]";
        }
    }

    /** The usual settings: one port for everything, 10 connections, no feed. */
    public static DemoConfig of(String issuer, String gatewayUrl, String jdbcUrl, int port) {
        return new DemoConfig(issuer, issuer, gatewayUrl, DEFAULT_ASSERTION_AUDIENCE, Database.of(jdbcUrl), Optional.empty(),
                "127.0.0.1", port, 10);
    }

    public DemoConfig withFeed(String clientId, String clientSecret) {
        return new DemoConfig(issuer, apiAudience, gatewayUrl, assertionAudience, database, Optional.of(new Feed(clientId, clientSecret)),
                host, port, poolSize);
    }

    public DemoConfig withApiAudience(String audience) {
        return new DemoConfig(issuer, audience, gatewayUrl, assertionAudience, database, feed, host, port, poolSize);
    }

    public DemoConfig withAssertionAudience(String audience) {
        return new DemoConfig(issuer, apiAudience, gatewayUrl, audience, database, feed, host, port, poolSize);
    }

    public DemoConfig withPoolSize(int size) {
        return new DemoConfig(issuer, apiAudience, gatewayUrl, assertionAudience, database, feed, host, port, size);
    }

    /**
     * From {@code LATCHKEY_DEMO_*} environment variables (see docs/demo.md): {@code ISSUER} (default
     * {@code http://localhost:8080}), {@code API_AUDIENCE} (default: the issuer), {@code GATEWAY_URL} (default
     * {@code http://localhost:8000}), {@code ASSERTION_AUDIENCE} (default {@code latchkey-app}),
     * {@code DATABASE_URL} (required), {@code DATABASE_USER}, {@code DATABASE_PASSWORD}, {@code FEED_CLIENT_ID} and
     * {@code FEED_CLIENT_SECRET} (both or neither), {@code HTTP_HOST} (default {@code 127.0.0.1}), {@code HTTP_PORT}
     * (default 8090), {@code DATABASE_POOL_SIZE} (default 10).
     */
    public static DemoConfig fromEnv(Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        String issuer = env.getOrDefault("LATCHKEY_DEMO_ISSUER", "http://localhost:8080");
        Optional<Feed> feed = Optional.empty();
        String feedId = env.get("LATCHKEY_DEMO_FEED_CLIENT_ID");
        String feedSecret = env.get("LATCHKEY_DEMO_FEED_CLIENT_SECRET");
        if (feedId != null && feedSecret != null) {
            feed = Optional.of(new Feed(feedId, feedSecret));
        } else if (feedId != null || feedSecret != null) {
            errors.add("LATCHKEY_DEMO_FEED_CLIENT_ID and LATCHKEY_DEMO_FEED_CLIENT_SECRET go together");
        }
        DemoConfig c = new DemoConfig(issuer,
                env.getOrDefault("LATCHKEY_DEMO_API_AUDIENCE", issuer),
                env.getOrDefault("LATCHKEY_DEMO_GATEWAY_URL", "http://localhost:8000"),
                env.getOrDefault("LATCHKEY_DEMO_ASSERTION_AUDIENCE", DEFAULT_ASSERTION_AUDIENCE),
                new Database(env.get("LATCHKEY_DEMO_DATABASE_URL"), Optional.ofNullable(env.get("LATCHKEY_DEMO_DATABASE_USER")),
                        Optional.ofNullable(env.get("LATCHKEY_DEMO_DATABASE_PASSWORD"))),
                feed,
                env.getOrDefault("LATCHKEY_DEMO_HTTP_HOST", "127.0.0.1"),
                integer(env, "LATCHKEY_DEMO_HTTP_PORT", 8090, errors),
                integer(env, "LATCHKEY_DEMO_DATABASE_POOL_SIZE", 10, errors));
        errors.addAll(c.problems());
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid demo configuration: " + String.join("; ", errors));
        }
        return c;
    }

    /** Throws {@link IllegalArgumentException} naming every problem. */
    public DemoConfig validate() {
        List<String> errors = problems();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid demo configuration: " + String.join("; ", errors));
        }
        return this;
    }

    List<String> problems() {
        List<String> errors = new ArrayList<>();
        checkUrl(errors, "issuer", issuer);
        checkUrl(errors, "gatewayUrl", gatewayUrl);
        if (apiAudience == null || apiAudience.isBlank()) {
            errors.add("apiAudience is required");
        }
        if (assertionAudience == null || assertionAudience.isBlank()) {
            errors.add("assertionAudience is required");
        }
        if (database == null || database.jdbcUrl() == null || !database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            errors.add("database URL must be a jdbc:postgresql: URL");
        }
        feed.ifPresent(f -> {
            if (f.clientId() == null || f.clientId().isBlank() || f.clientSecret() == null || f.clientSecret().isEmpty()) {
                errors.add("feed needs a client id and a secret");
            }
        });
        if (host == null || host.isBlank()) {
            errors.add("host is required");
        }
        if (port < 0 || port > 65535) {
            errors.add("port must be between 0 and 65535");
        }
        if (poolSize < 1 || poolSize > 100) {
            errors.add("poolSize must be between 1 and 100");
        }
        return errors;
    }

    private static void checkUrl(List<String> errors, String name, String value) {
        if (value == null || value.isBlank()) {
            errors.add(name + " is required");
            return;
        }
        try {
            URI u = new URI(value);
            if (!u.isAbsolute() || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null || value.endsWith("/")) {
                errors.add(name + " must be an http(s) URL without query, fragment or trailing slash");
            }
        } catch (URISyntaxException e) {
            errors.add(name + " is not a URL");
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback, List<String> errors) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            errors.add(name + " must be an integer");
            return fallback;
        }
    }
}
