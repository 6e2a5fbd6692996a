package dev.latchkey.gateway.config;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.gateway.login.ReturnTo;
import dev.latchkey.store.sql.PostgresUrl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link GatewayConfig} from {@code LATCHKEY_GATEWAY_*} environment variables over the defaults in
 * {@link GatewaySettings}; every problem is collected and reported at once in a {@link GatewayConfigException}.
 * Secret values never appear in a message.
 */
public final class GatewayConfigLoader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB)?");
    /** The refresh margin is at most a tenth of a token's lifetime, and the server's access tokens live 15 minutes at most. */
    private static final Duration LONGEST_MARGIN = Duration.ofSeconds(90);
    /**
     * The refresh lease must stay below the server's {@code tokens.refresh_grace}, at most half of it; the server's
     * default is 10 s and its largest 60 s.
     */
    static final Duration SHORTEST_LEASE = Duration.ofSeconds(1);
    static final Duration LONGEST_LEASE = Duration.ofSeconds(30);
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private GatewayConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static GatewayConfig load(Map<String, String> env) {
        GatewayConfigLoader l = new GatewayConfigLoader(env);
        Set<String> known = new HashSet<>();
        GatewaySettings.ALL.forEach(s -> known.add(s.envName()));
        env.keySet().stream().filter(k -> k.startsWith("LATCHKEY_GATEWAY_") && !known.contains(k)).sorted()
                .forEach(k -> l.warnings.add("ignoring unknown environment variable " + k));
        return l.build();
    }

    private String raw(GatewaySetting s) {
        String v = env.get(s.envName());
        return v == null ? s.defaultValue() : v.strip();
    }

    private <T> T get(GatewaySetting s, Function<String, T> parser) {
        try {
            return parser.apply(raw(s));
        } catch (IllegalArgumentException e) {
            problems.add(s.envName() + ": " + (s.secret() ? "invalid value" : e.getMessage()));
            return null;
        }
    }

    private String required(GatewaySetting s) {
        String v = raw(s);
        if (v.isBlank()) {
            problems.add(s.envName() + ": required");
            return null;
        }
        return v;
    }

    private GatewayConfig build() {
        URI publicUrl = get(GatewaySettings.PUBLIC_URL, GatewayConfigLoader::url);
        if (publicUrl != null) {
            if (!"https".equals(publicUrl.getScheme()) && !isLoopback(publicUrl.getHost())) {
                problems.add(GatewaySettings.PUBLIC_URL.envName() + ": must be https (http only for localhost)");
            }
            if (publicUrl.getRawPath() != null && publicUrl.getRawPath().length() > 1) {
                problems.add(GatewaySettings.PUBLIC_URL.envName() + ": must be an origin without a path");
            }
        }
        Integer port = get(GatewaySettings.PORT, GatewayConfigLoader::integer);
        if (port != null && (port < 0 || port > 65535)) {
            problems.add(GatewaySettings.PORT.envName() + ": must be between 0 and 65535");
        }
        GatewayConfig.Http http = publicUrl == null ? null : new GatewayConfig.Http(raw(GatewaySettings.HOST), port == null ? 0 : port, publicUrl);

        String issuerRaw = required(GatewaySettings.ISSUER);
        URI issuer = issuerRaw == null ? null : get(GatewaySettings.ISSUER, GatewayConfigLoader::url);
        String clientId = required(GatewaySettings.CLIENT_ID);
        String secret = required(GatewaySettings.CLIENT_SECRET);
        String scope = raw(GatewaySettings.SCOPE);
        if (!List.of(scope.split(" +")).contains("openid")) {
            problems.add(GatewaySettings.SCOPE.envName() + ": must contain openid");
        }
        String postLogoutRaw = raw(GatewaySettings.POST_LOGOUT_REDIRECT_URI);
        URI postLogout = postLogoutRaw.isEmpty() ? (http == null ? null : URI.create(http.origin() + "/"))
                : get(GatewaySettings.POST_LOGOUT_REDIRECT_URI, GatewayConfigLoader::url);
        String tokenAudience = raw(GatewaySettings.TOKEN_AUDIENCE);
        Boolean feed = get(GatewaySettings.REVOCATION_FEED, GatewayConfigLoader::bool);
        GatewayConfig.Client client = new GatewayConfig.Client(issuer, clientId, secret, scope,
                tokenAudience.isEmpty() ? Optional.empty() : Optional.of(tokenAudience), postLogout, feed == null || feed);

        List<GatewayConfig.Route> routes = get(GatewaySettings.ROUTES, GatewayConfigLoader::routes);
        String frontendRaw = raw(GatewaySettings.FRONTEND);
        Optional<URI> frontend = frontendRaw.isEmpty() ? Optional.empty()
                : Optional.ofNullable(get(GatewaySettings.FRONTEND, GatewayConfigLoader::upstream));
        List<String> protectedPaths = get(GatewaySettings.PROTECTED_PATHS, GatewayConfigLoader::prefixes);
        String defaultPage = raw(GatewaySettings.DEFAULT_PAGE);
        if (!ReturnTo.isSafe(defaultPage)) {
            problems.add(GatewaySettings.DEFAULT_PAGE.envName() + ": must be a same-origin path starting with /");
        }
        if (routes != null) {
            for (GatewayConfig.Route r : routes) {
                if (r.prefix().equals("/auth") || r.prefix().startsWith("/auth/")) {
                    problems.add(GatewaySettings.ROUTES.envName() + ": " + r.prefix() + " overlaps the gateway's own /auth paths");
                }
            }
        }
        GatewayConfig.Routing routing = new GatewayConfig.Routing(routes == null ? List.of() : routes, frontend,
                protectedPaths == null ? List.of() : protectedPaths, defaultPage);

        String dbRaw = required(GatewaySettings.DATABASE_URL);
        PostgresUrl db = dbRaw == null ? null : get(GatewaySettings.DATABASE_URL, PostgresUrl::parse);
        Integer pool = get(GatewaySettings.DATABASE_POOL_SIZE, GatewayConfigLoader::integer);
        if (pool != null && (pool < 2 || pool > 500)) {
            problems.add(GatewaySettings.DATABASE_POOL_SIZE.envName() + ": must be between 2 and 500");
        }
        MasterKey key = null;
        if (!raw(GatewaySettings.SESSION_KEY).isEmpty()) {
            key = get(GatewaySettings.SESSION_KEY, MasterKey::parse);
        } else if (!raw(GatewaySettings.MASTER_KEY).isEmpty()) {
            MasterKey master = get(GatewaySettings.MASTER_KEY, MasterKey::parse);
            key = master == null ? null : MasterKey.of(master.derive("gateway/session"));
        } else {
            problems.add(GatewaySettings.SESSION_KEY.envName() + ": required (or " + GatewaySettings.MASTER_KEY.envName()
                    + "): 32 random bytes, base64 (`latchkey keys master` prints one)");
        }
        String redis = raw(GatewaySettings.REDIS_URL);
        if (!redis.isEmpty() && !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
            problems.add(GatewaySettings.REDIS_URL.envName() + ": must start with redis:// or rediss://");
        }
        GatewayConfig.Storage storage = new GatewayConfig.Storage(db, pool == null ? 2 : pool,
                redis.isEmpty() ? Optional.empty() : Optional.of(redis), key);

        Duration idle = get(GatewaySettings.SESSION_IDLE, GatewayConfigLoader::duration);
        Duration absolute = get(GatewaySettings.SESSION_ABSOLUTE, GatewayConfigLoader::duration);
        Duration touch = get(GatewaySettings.SESSION_TOUCH_EVERY, GatewayConfigLoader::duration);
        Duration cacheTtl = get(GatewaySettings.SESSION_CACHE_TTL, GatewayConfigLoader::duration);
        Duration skew = get(GatewaySettings.REFRESH_SKEW, GatewayConfigLoader::duration);
        if (idle != null && absolute != null && idle.compareTo(absolute) > 0) {
            problems.add(GatewaySettings.SESSION_IDLE.envName() + ": must not exceed " + GatewaySettings.SESSION_ABSOLUTE.envName());
        }
        if (idle != null && touch != null && touch.compareTo(idle) >= 0) {
            problems.add(GatewaySettings.SESSION_TOUCH_EVERY.envName() + ": must be shorter than " + GatewaySettings.SESSION_IDLE.envName());
        }
        if (skew != null && skew.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add(GatewaySettings.REFRESH_SKEW.envName() + ": must be at most 10m");
        } else if (skew != null && skew.compareTo(LONGEST_MARGIN) > 0) {
            warnings.add(GatewaySettings.REFRESH_SKEW.envName() + ": " + raw(GatewaySettings.REFRESH_SKEW) + " never applies: a token is "
                    + "refreshed at most a tenth of its lifetime before it expires, and Latchkey access tokens live 15m at most ("
                    + LONGEST_MARGIN.toSeconds() + "s)");
        }
        Duration lease = get(GatewaySettings.REFRESH_LEASE, GatewayConfigLoader::duration);
        if (lease != null && (lease.compareTo(SHORTEST_LEASE) < 0 || lease.compareTo(LONGEST_LEASE) > 0)) {
            problems.add(GatewaySettings.REFRESH_LEASE.envName() + ": must be between 1s (a refresh must have time to reach the server "
                    + "and come back) and 30s (half of 60s, the longest tokens.refresh_grace the server accepts)");
        } else if (lease != null && lease.multipliedBy(2).compareTo(DEFAULT_GRACE) > 0) {
            warnings.add(GatewaySettings.REFRESH_LEASE.envName() + ": " + raw(GatewaySettings.REFRESH_LEASE) + " is more than half of the "
                    + "server's default tokens.refresh_grace (10s): set the server's LATCHKEY_TOKENS_REFRESH_GRACE to at least twice "
                    + "the lease, or a node that dies mid-refresh (or a refresh whose answer is lost) can end its users' sessions");
        }
        GatewayConfig.Sessions sessions = new GatewayConfig.Sessions(idle, absolute, touch, cacheTtl, skew, lease);

        String audience = raw(GatewaySettings.ASSERTION_AUDIENCE);
        if (audience.isBlank()) {
            problems.add(GatewaySettings.ASSERTION_AUDIENCE.envName() + ": must not be empty");
        }
        Integer retryMax = get(GatewaySettings.RETRY_BODY_MAX, GatewayConfigLoader::size);
        if (retryMax != null && retryMax > 16 * 1024 * 1024) {
            problems.add(GatewaySettings.RETRY_BODY_MAX.envName() + ": must be at most 16MiB");
        }
        Integer bodyMax = get(GatewaySettings.PROXY_BODY_MAX, GatewayConfigLoader::size);
        if (bodyMax != null && bodyMax < 1) {
            problems.add(GatewaySettings.PROXY_BODY_MAX.envName() + ": must be at least 1 byte");
        } else if (bodyMax != null && retryMax != null && retryMax > bodyMax) {
            warnings.add(GatewaySettings.RETRY_BODY_MAX.envName() + " (" + raw(GatewaySettings.RETRY_BODY_MAX) + ") exceeds "
                    + GatewaySettings.PROXY_BODY_MAX.envName() + " (" + raw(GatewaySettings.PROXY_BODY_MAX) + "): bodies above "
                    + raw(GatewaySettings.PROXY_BODY_MAX) + " are refused, never buffered");
        }
        Duration upstreamTimeout = get(GatewaySettings.UPSTREAM_TIMEOUT, GatewayConfigLoader::duration);
        String logFormat = raw(GatewaySettings.LOG_FORMAT);
        if (!logFormat.equals("json") && !logFormat.equals("text")) {
            problems.add(GatewaySettings.LOG_FORMAT.envName() + ": must be json or text");
        }
        String logLevel = raw(GatewaySettings.LOG_LEVEL).toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
            problems.add(GatewaySettings.LOG_LEVEL.envName() + ": must be error, warn, info, debug or trace");
        }
        if (!problems.isEmpty()) {
            throw new GatewayConfigException(problems);
        }
        return new GatewayConfig(http, client, routing, storage, sessions, new GatewayConfig.Assertion(audience),
                new GatewayConfig.Proxy(retryMax, bodyMax, upstreamTimeout), new GatewayConfig.Ops(logFormat, logLevel), warnings);
    }

    static URI url(String v) {
        URI u;
        try {
            u = new URI(v);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + v);
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("must be an http(s) URL with a host: " + v);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not have a query, fragment or user info: " + v);
        }
        return u;
    }

    static URI upstream(String v) {
        URI u = url(v);
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw new IllegalArgumentException("an upstream is an origin (the request path is appended as is): " + v);
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    static List<GatewayConfig.Route> routes(String v) {
        List<GatewayConfig.Route> out = new ArrayList<>();
        if (v.isBlank()) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : v.split(",")) {
            String p = pair.strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected prefix=upstream, got '" + p + "'");
            }
            String prefix = prefix(p.substring(0, eq).strip());
            if (!seen.add(prefix)) {
                throw new IllegalArgumentException("duplicate route " + prefix);
            }
            out.add(new GatewayConfig.Route(prefix, upstream(p.substring(eq + 1).strip())));
        }
        out.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        return out;
    }

    static List<String> prefixes(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(prefix(p.strip()));
            }
        }
        return out;
    }

    private static String prefix(String p) {
        if (!p.matches("/[A-Za-z0-9._~!$&'()*+;=:@/-]*") || p.contains("//") || p.contains("/../") || p.endsWith("/..")) {
            throw new IllegalArgumentException("a path prefix must start with / and be a plain path: '" + p + "'");
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static Integer integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: " + v);
        }
    }

    static Boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + v);
        };
    }

    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 30s, 5m, 12h, 14d): " + v);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("must be positive: " + v);
        }
        return d;
    }

    static Integer size(String v) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size (e.g. 64KiB): " + v);
        }
        long n = Long.parseLong(m.group(1));
        long mult = m.group(2) == null || m.group(2).equals("B") ? 1 : m.group(2).equals("KiB") ? 1024 : 1024 * 1024;
        if (n * mult > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large: " + v);
        }
        return (int) (n * mult);
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }
}
