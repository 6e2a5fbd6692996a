package dev.latchkey.server.config;

import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.credential.passkey.RelyingParty;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.store.sql.PostgresUrl;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds {@link LatchkeyConfig} from {@code LATCHKEY_*} environment variables over an optional
 * properties file over the defaults in {@link Settings}. Every problem is collected and reported at
 * once in a {@link ConfigException}.
 */
public final class ConfigLoader {
    private final Map<String, String> env;
    private final Map<String, String> file;
    private final Map<String, String> overrides;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ConfigLoader(Map<String, String> env, Map<String, String> file, Map<String, String> overrides) {
        this.env = env;
        this.file = file;
        this.overrides = overrides;
    }

    /**
     * @param overrides settings a command fixes for its mode (e.g. dev listens on 127.0.0.1), used
     *                  only where neither the environment nor the file sets a value
     */
    public static LatchkeyConfig load(LatchkeyConfig.Mode mode, Map<String, String> env, Optional<Path> configFile,
                                      Map<String, String> overrides) {
        Map<String, String> fileValues = new HashMap<>();
        List<String> early = new ArrayList<>();
        if (configFile.isPresent()) {
            Path p = configFile.get();
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                early.add("cannot read the configuration file " + p + ": " + e.getMessage());
            }
            Set<String> known = new HashSet<>();
            Settings.ALL.forEach(s -> known.add(s.key()));
            for (String k : props.stringPropertyNames()) {
                if (!known.contains(k) && !IdpSettings.fileKey(k)) {
                    early.add(p + ": unknown setting '" + k + "'");
                } else {
                    fileValues.put(k, props.getProperty(k).strip());
                }
            }
        }
        ConfigLoader l = new ConfigLoader(env, fileValues, overrides);
        l.problems.addAll(early);
        l.warnUnknownEnv();
        return l.build(mode);
    }

    /**
     * Warns of {@code LATCHKEY_*} variables nothing reads (typos). Not warned: the launcher's own
     * ({@code LATCHKEY_HOME}, {@code LATCHKEY_JAVA}, {@code LATCHKEY_JAVA_OPTS}, read by {@code ./latchkey}
     * before Java starts), the gateway's {@code LATCHKEY_GATEWAY_*} (its loader checks those names) and tests'.
     */
    private void warnUnknownEnv() {
        Set<String> known = new HashSet<>(Set.of("LATCHKEY_CONFIG", "LATCHKEY_HOME", "LATCHKEY_JAVA", "LATCHKEY_JAVA_OPTS"));
        Settings.ALL.forEach(s -> known.add(s.envName()));
        for (String k : env.keySet()) {
            if (k.startsWith("LATCHKEY_") && !k.startsWith("LATCHKEY_TEST_") && !k.startsWith("LATCHKEY_GATEWAY_") && !known.contains(k)
                    && !k.startsWith("LATCHKEY_IDP_")) {
                warnings.add("ignoring unknown environment variable " + k);
            }
        }
    }

    private String raw(Setting<?> s) {
        String v = env.get(s.envName());
        if (v != null) {
            return v.strip();
        }
        v = file.get(s.key());
        if (v != null) {
            return v;
        }
        v = overrides.get(s.key());
        return v != null ? v : s.defaultValue();
    }

    private <T> T get(Setting<T> s) {
        String v = raw(s);
        try {
            return s.parser().apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(s.envName() + " (" + s.key() + "): " + e.getMessage());
            return null;
        }
    }

    private <T> T check(String what, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            if (e instanceof IllegalArgumentException) {
                problems.add(what + ": " + e.getMessage());
            }
            return null;
        }
    }

    private LatchkeyConfig build(LatchkeyConfig.Mode mode) {
        boolean prod = mode == LatchkeyConfig.Mode.PRODUCTION;
        Integer port = get(Settings.HTTP_PORT);
        if (port != null && (port < 0 || port > 65535)) {
            problems.add(Settings.HTTP_PORT.envName() + ": must be between 0 and 65535");
        }
        URI publicUrl = get(Settings.PUBLIC_URL);
        if (publicUrl != null && prod && !"https".equals(publicUrl.getScheme()) && !isLoopback(publicUrl.getHost())) {
            problems.add(Settings.PUBLIC_URL.envName() + ": must be an https URL in production (http is allowed only for localhost)");
        }
        if (publicUrl != null && publicUrl.getRawPath() != null && publicUrl.getRawPath().length() > 1) {
            problems.add(Settings.PUBLIC_URL.envName() + ": serving under a path prefix is not supported; use the origin only");
        }
        Integer maxBody = get(Settings.HTTP_MAX_BODY);
        if (maxBody != null && (maxBody < 1024 || maxBody > 16 * 1024 * 1024)) {
            problems.add(Settings.HTTP_MAX_BODY.envName() + ": must be between 1KiB and 16MiB");
        }
        LatchkeyConfig.Http http = new LatchkeyConfig.Http(get(Settings.HTTP_HOST), port == null ? 0 : port, publicUrl,
                maxBody == null ? 0 : maxBody, bool(get(Settings.HTTP_TRUST_PROXY)), bool(get(Settings.COOKIE_SECURE)));

        String dbRaw = get(Settings.DATABASE_URL);
        Optional<PostgresUrl> db = Optional.empty();
        if (dbRaw != null && !dbRaw.isBlank()) {
            db = Optional.ofNullable(check(Settings.DATABASE_URL.envName(), () -> PostgresUrl.parse(dbRaw)));
        } else if (prod) {
            problems.add(Settings.DATABASE_URL.envName() + ": required by `latchkey server` (postgresql://user:pass@host:5432/db)");
        }
        String mk = get(Settings.MASTER_KEY);
        Optional<MasterKey> master = Optional.empty();
        if (mk != null && !mk.isBlank()) {
            master = Optional.ofNullable(check(Settings.MASTER_KEY.envName(), () -> MasterKey.parse(mk)));
        } else if (prod) {
            problems.add(Settings.MASTER_KEY.envName() + ": required in production (32 random bytes, base64; `latchkey keys master` prints one)");
        }
        Integer pool = get(Settings.DATABASE_POOL_SIZE);
        if (pool != null && (pool < 1 || pool > 500)) {
            problems.add(Settings.DATABASE_POOL_SIZE.envName() + ": must be between 1 and 500");
        }
        String redis = get(Settings.REDIS_URL);
        if (redis != null && !redis.isBlank() && !(redis.startsWith("redis://") || redis.startsWith("rediss://") || redis.startsWith("redis-sentinel://"))) {
            problems.add(Settings.REDIS_URL.envName() + ": must start with redis://, rediss:// or redis-sentinel://");
        }
        Integer embeddedPort = get(Settings.DATABASE_EMBEDDED_PORT);
        String dataDir = get(Settings.DATA_DIR);
        LatchkeyConfig.Storage storage = new LatchkeyConfig.Storage(Path.of(dataDir == null ? ".latchkey" : dataDir), db,
                pool == null ? 1 : pool, embeddedPort == null ? 0 : embeddedPort,
                redis == null || redis.isBlank() ? Optional.empty() : Optional.of(redis), master);

        Duration accessTtl = get(Settings.ACCESS_TTL);
        if (accessTtl != null && (accessTtl.toSeconds() < 1 || accessTtl.compareTo(Duration.ofMinutes(15)) > 0)) {
            problems.add(Settings.ACCESS_TTL.envName() + ": must be between 1s and 15m");
        }
        Duration rotation = get(Settings.KEY_ROTATION);
        Duration prepublish = get(Settings.KEY_PREPUBLISH);
        Duration jwksAge = get(Settings.JWKS_MAX_AGE);
        if (prepublish != null && jwksAge != null && prepublish.compareTo(jwksAge) < 0) {
            problems.add(Settings.KEY_PREPUBLISH.envName() + ": must be at least " + Settings.JWKS_MAX_AGE.envName()
                    + ", or relying parties may meet a key they have not fetched");
        }
        if (rotation != null && prepublish != null && rotation.compareTo(prepublish.multipliedBy(2)) < 0) {
            problems.add(Settings.KEY_ROTATION.envName() + ": must be at least twice " + Settings.KEY_PREPUBLISH.envName());
        }
        Duration idTtl = get(Settings.ID_TOKEN_TTL);
        if (idTtl != null && (idTtl.toSeconds() < 1 || idTtl.compareTo(Duration.ofHours(1)) > 0)) {
            problems.add(Settings.ID_TOKEN_TTL.envName() + ": must be between 1s and 1h");
        }
        List<String> audience = get(Settings.AUDIENCE);
        LatchkeyConfig.Tokens tokens = new LatchkeyConfig.Tokens(accessTtl, idTtl,
                audience == null || audience.isEmpty() ? List.of(http.publicUrl() == null ? "" : http.issuer()) : audience,
                rotation, prepublish, jwksAge);

        Duration grace = get(Settings.REFRESH_GRACE);
        SessionPolicy sessions = check("sessions", () -> new SessionPolicy(get(Settings.BROWSER_IDLE), get(Settings.BROWSER_ABSOLUTE),
                get(Settings.API_IDLE), get(Settings.API_ABSOLUTE), grace));

        Integer min = get(Settings.PASSWORD_MIN);
        if (min != null && (min < 8 || min > 64)) {
            problems.add(Settings.PASSWORD_MIN.envName() + ": must be between 8 and 64 (NIST SP 800-63B)");
        }
        Integer mem = get(Settings.ARGON2_MEMORY);
        Integer it = get(Settings.ARGON2_ITERATIONS);
        Integer par = get(Settings.ARGON2_PARALLELISM);
        if (mem != null && par != null && (par < 1 || par > 16 || mem < 8 * par || mem > 4 * 1024 * 1024)) {
            problems.add(Settings.ARGON2_MEMORY.envName() + "/" + Settings.ARGON2_PARALLELISM.envName()
                    + ": memory must be between 8×parallelism KiB and 4 GiB, parallelism 1 to 16");
        }
        if (it != null && (it < 1 || it > 100)) {
            problems.add(Settings.ARGON2_ITERATIONS.envName() + ": must be between 1 and 100");
        }
        if (prod && mem != null && it != null && (long) mem * it < 36_000) {
            warnings.add("Argon2id cost below OWASP's minimum (m=19456 KiB, t=2 or equivalent)");
        }
        String pepperRaw = get(Settings.PEPPER);
        Optional<byte[]> pepper = Optional.empty();
        if (pepperRaw != null && !pepperRaw.isBlank()) {
            pepper = Optional.ofNullable(check(Settings.PEPPER.envName(), () -> {
                byte[] b = Base64.getDecoder().decode(pepperRaw);
                if (b.length < 32) {
                    throw new IllegalArgumentException("the pepper must be at least 32 bytes");
                }
                return b;
            }));
        }
        LatchkeyConfig.Passwords passwords = new LatchkeyConfig.Passwords(min == null ? 8 : min, mem == null ? 0 : mem,
                it == null ? 0 : it, par == null ? 0 : par, pepper, get(Settings.PEPPER_ID));

        LockoutPolicy lockout = check("lockout", () -> new LockoutPolicy(get(Settings.LOCKOUT_THRESHOLD), get(Settings.LOCKOUT_BASE),
                get(Settings.LOCKOUT_MAX), get(Settings.LOCKOUT_RESET)));
        LatchkeyConfig.Abuse abuse = new LatchkeyConfig.Abuse(lockout, bool(get(Settings.RATE_LIMITS)),
                get(Settings.RATE_LOGIN_IP), get(Settings.RATE_LOGIN_ACCOUNT), get(Settings.RATE_SIGNUP_IP),
                get(Settings.RATE_REFRESH_IP), get(Settings.RATE_ACCOUNT_IP),
                get(Settings.RATE_API_KEY_PER_KEY), get(Settings.RATE_API_KEY_PER_CLIENT));

        String format = get(Settings.LOG_FORMAT);
        if (format != null && !format.equals("json") && !format.equals("text")) {
            problems.add(Settings.LOG_FORMAT.envName() + ": must be json or text");
        }
        String level = get(Settings.LOG_LEVEL);
        if (level != null && !List.of("error", "warn", "info", "debug", "trace").contains(level.toLowerCase(java.util.Locale.ROOT))) {
            problems.add(Settings.LOG_LEVEL.envName() + ": must be error, warn, info, debug or trace");
        }
        String adminKey = get(Settings.ADMIN_API_KEY);
        if (adminKey != null && !adminKey.isBlank() && adminKey.length() < 32) {
            problems.add(Settings.ADMIN_API_KEY.envName() + ": must be at least 32 characters");
        }
        LatchkeyConfig.Mail mail = MailSettings.read(this::get, problems, warnings, prod);
        Limits relations = RelationSettings.read(this::get, problems);
        RelyingParty passkeys = null;
        if (publicUrl != null && publicUrl.getHost() != null) {
            String rpId = get(Settings.PASSKEY_RP_ID);
            List<String> origins = get(Settings.PASSKEY_ORIGINS);
            List<String> rpProblems = RelyingParty.problems(publicUrl, rpId, origins == null ? List.of() : origins);
            rpProblems.forEach(p -> problems.add(Settings.PASSKEY_RP_ID.envName() + "/" + Settings.PASSKEY_ORIGINS.envName() + ": " + p));
            if (rpProblems.isEmpty()) {
                passkeys = RelyingParty.of(publicUrl, rpId, origins == null ? List.of() : origins, mail == null ? "Latchkey" : mail.productName());
            }
        }
        java.util.OptionalInt management = get(Settings.MANAGEMENT_PORT);
        if (management != null && management.isPresent()) {
            int m = management.getAsInt();
            if (m < 0 || m > 65535) {
                problems.add(Settings.MANAGEMENT_PORT.envName() + ": must be between 0 and 65535");
            } else if (m != 0 && port != null && m == port) {
                problems.add(Settings.MANAGEMENT_PORT.envName() + ": must differ from " + Settings.HTTP_PORT.envName()
                        + " (leave it empty to serve /metrics on the HTTP port)");
            }
        }
        List<dev.latchkey.core.identity.IdentityProvider> idps = IdpSettings.read(get(Settings.IDP_PROVIDERS), env, file, problems);
        String mfaText = get(Settings.MFA_POLICY);
        dev.latchkey.core.authn.MfaPolicy mfaPolicy = mfaText == null ? null
                : check(Settings.MFA_POLICY.envName(), () -> dev.latchkey.core.authn.MfaPolicy.parse(mfaText));
        Duration recent = get(Settings.MFA_RECENT);
        if (recent != null && (recent.compareTo(Duration.ofMinutes(1)) < 0 || recent.compareTo(Duration.ofHours(24)) > 0)) {
            problems.add(Settings.MFA_RECENT.envName() + ": must be between 1 minute and 24 hours");
        }
        LatchkeyConfig.ApiKeys apiKeys = ApiKeySettings.read(this::get, accessTtl, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LatchkeyConfig(mode, http, storage, tokens, sessions, passwords, abuse, new LatchkeyConfig.Ops(format, level,
                adminKey == null || adminKey.isBlank() ? Optional.empty() : Optional.of(adminKey), management), List.copyOf(warnings), mail, idps, passkeys,
                relations, new LatchkeyConfig.Mfa(mfaPolicy, recent), apiKeys);
    }

    private static boolean bool(Boolean b) {
        return b != null && b;
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }
}
