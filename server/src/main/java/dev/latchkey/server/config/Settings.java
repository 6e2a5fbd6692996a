package dev.latchkey.server.config;

import dev.latchkey.core.ratelimit.RateLimit;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting Latchkey reads, with its one default. Environment variables ({@code LATCHKEY_…})
 * override the optional configuration file, which overrides these defaults. The configuration
 * reference (docs/configuration.md) is generated from this table, and a test keeps them equal.
 */
public final class Settings {
    private Settings() {
    }

    // ---- where and how to listen
    public static final Setting<String> HTTP_HOST = new Setting<>("http.host", "0.0.0.0", "host",
            "Interface to listen on (`latchkey dev` uses 127.0.0.1 unless set).", Parsers::string, false);
    public static final Setting<Integer> HTTP_PORT = new Setting<>("http.port", "8080", "port",
            "TCP port of the HTTP listener.", Parsers::integer, false);
    public static final Setting<URI> PUBLIC_URL = new Setting<>("public_url", "http://localhost:8080", "URL",
            "The externally visible base URL; it is the token issuer (`iss`). Must be https in production, except http://localhost.",
            Parsers::url, false);
    public static final Setting<Integer> HTTP_MAX_BODY = new Setting<>("http.max_body", "64KiB", "size",
            "Largest request body accepted; larger ones get 413.", Parsers::bytes, false);
    public static final Setting<Boolean> HTTP_TRUST_PROXY = new Setting<>("http.trust_proxy", "false", "boolean",
            "Take the client IP from X-Forwarded-For (only behind a proxy that sets it).", Parsers::bool, false);

    // ---- state
    public static final Setting<String> DATA_DIR = new Setting<>("data_dir", ".latchkey", "path",
            "Folder for the embedded database and, in dev mode, the generated master key.", Parsers::string, false);
    public static final Setting<String> DATABASE_URL = new Setting<>("database.url", "", "URL",
            "PostgreSQL: postgresql://user:pass@host:5432/db or jdbc:postgresql://…. Required by `latchkey server`; "
                    + "`latchkey dev` starts an embedded PostgreSQL when it is empty.", Parsers::string, true);
    public static final Setting<Integer> DATABASE_POOL_SIZE = new Setting<>("database.pool_size", "16", "integer",
            "Maximum connections in the pool.", Parsers::integer, false);
    public static final Setting<Integer> DATABASE_EMBEDDED_PORT = new Setting<>("database.embedded_port", "0", "port",
            "Port of the embedded PostgreSQL (0: any free port).", Parsers::integer, false);
    public static final Setting<String> REDIS_URL = new Setting<>("redis.url", "", "URL",
            "Redis (redis://host:6379). When set, rate limits are shared by all nodes through Redis; otherwise they are per node. "
                    + "Redis is optional at run time too: a node starts and serves while it is unreachable, counting rate limits "
                    + "per node meanwhile, and reconnects by itself (`/health/ready` says `degraded`, `latchkey_redis_up` is 0; "
                    + "docs/operations.md).", Parsers::string, true);
    public static final Setting<String> MASTER_KEY = new Setting<>("master_key", "", "secret",
            "32 bytes (base64 or hex) that encrypt signing keys and derive internal keys. Required in production; "
                    + "dev mode generates one into the data folder. Generate with `latchkey keys master`.", Parsers::string, true);

    // ---- tokens and sessions
    public static final Setting<Duration> ACCESS_TTL = new Setting<>("tokens.access_ttl", "5m", "duration",
            "Lifetime of access tokens (1 s to 15 min).", Parsers::duration, false);
    public static final Setting<List<String>> AUDIENCE = new Setting<>("tokens.audience", "", "list",
            "Audience (`aud`) of first-party access tokens, comma-separated; empty: the public URL.", Parsers::list, false);
    public static final Setting<Duration> REFRESH_GRACE = new Setting<>("tokens.refresh_grace", "10s", "duration",
            "Grace window of refresh-token rotation (0 to 60 s): a token replaced less than this long ago is never taken for theft. "
                    + "The token just replaced gets the same successor again; an older one is refused with `refresh_token_stale` "
                    + "(409; OAuth: `invalid_grant`) and nothing is revoked. A token replaced longer ago revokes its session "
                    + "(`refresh_token_reuse`). See [oidc.md](oidc.md#refresh-token-rotation). Behind the gateway keep it at least "
                    + "twice `LATCHKEY_GATEWAY_REFRESH_LEASE` (5 s): [gateway.md](gateway.md#sessions).",
            Parsers::duration, false);
    public static final Setting<Duration> API_IDLE = new Setting<>("sessions.api_idle", "14d", "duration",
            "A first-party (token) session ends after this long without a refresh.", Parsers::duration, false);
    public static final Setting<Duration> API_ABSOLUTE = new Setting<>("sessions.api_absolute", "30d", "duration",
            "A first-party (token) session ends this long after sign-in, whatever its activity.", Parsers::duration, false);
    public static final Setting<Duration> BROWSER_IDLE = new Setting<>("sessions.browser_idle", "30m", "duration",
            "The hosted-login session ends after this long without activity.", Parsers::duration, false);
    public static final Setting<Duration> BROWSER_ABSOLUTE = new Setting<>("sessions.browser_absolute", "12h", "duration",
            "The hosted-login session ends this long after sign-in.", Parsers::duration, false);
    public static final Setting<Boolean> COOKIE_SECURE = new Setting<>("cookies.secure", "true", "boolean",
            "Mark cookies Secure and use the __Host- prefix. Browsers accept Secure cookies from http://localhost; "
                    + "set false only for plain-http development on another host name.", Parsers::bool, false);

    public static final Setting<Duration> ID_TOKEN_TTL = new Setting<>("tokens.id_token_ttl", "5m", "duration",
            "Lifetime of ID tokens (1 s to 1 h).", Parsers::duration, false);
    public static final Setting<String> ADMIN_API_KEY = new Setting<>("admin.api_key", "", "secret",
            "A bootstrap key for the admin API (/admin/v1, Authorization: Bearer …), at least 32 characters; "
                    + "more keys can be created with `latchkey admin keys create`.", Parsers::string, true);

    // ---- signing keys
    public static final Setting<Duration> KEY_ROTATION = new Setting<>("keys.rotation_period", "30d", "duration",
            "A new signing key of each algorithm (ES256, RS256) is created when that algorithm's newest is this old.", Parsers::duration, false);
    public static final Setting<Duration> KEY_PREPUBLISH = new Setting<>("keys.prepublish", "1h", "duration",
            "A new key is published this long before it signs anything (at least the JWKS cache time).", Parsers::duration, false);
    public static final Setting<Duration> JWKS_MAX_AGE = new Setting<>("keys.jwks_max_age", "10m", "duration",
            "Cache-Control max-age of the JWKS document.", Parsers::duration, false);

    // ---- passwords
    public static final Setting<Integer> PASSWORD_MIN = new Setting<>("passwords.min_length", "8", "integer",
            "Minimum password length in characters (NIST SP 800-63B: at least 8; 15 when the password is the only factor).",
            Parsers::integer, false);
    public static final Setting<Integer> ARGON2_MEMORY = new Setting<>("passwords.argon2_memory_kib", "19456", "integer",
            "Argon2id memory in KiB (OWASP: 19456 = 19 MiB).", Parsers::integer, false);
    public static final Setting<Integer> ARGON2_ITERATIONS = new Setting<>("passwords.argon2_iterations", "2", "integer",
            "Argon2id iterations (OWASP: 2).", Parsers::integer, false);
    public static final Setting<Integer> ARGON2_PARALLELISM = new Setting<>("passwords.argon2_parallelism", "1", "integer",
            "Argon2id lanes (OWASP: 1).", Parsers::integer, false);
    public static final Setting<String> PEPPER = new Setting<>("passwords.pepper", "", "secret",
            "Optional secret (base64, ≥ 32 bytes) mixed into every new password hash; keep it outside the database.",
            Parsers::string, true);
    public static final Setting<String> PEPPER_ID = new Setting<>("passwords.pepper_id", "p1", "string",
            "Identifier recorded in hashes made with the pepper, so a future pepper can be rolled out.", Parsers::string, false);

    // ---- abuse protection
    public static final Setting<Integer> LOCKOUT_THRESHOLD = new Setting<>("lockout.threshold", "5", "integer",
            "Consecutive failed sign-ins before an e-mail address is locked.", Parsers::integer, false);
    public static final Setting<Duration> LOCKOUT_BASE = new Setting<>("lockout.base", "30s", "duration",
            "First lock duration; it doubles with every further failure.", Parsers::duration, false);
    public static final Setting<Duration> LOCKOUT_MAX = new Setting<>("lockout.max", "15m", "duration",
            "Longest lock.", Parsers::duration, false);
    public static final Setting<Duration> LOCKOUT_RESET = new Setting<>("lockout.reset_after", "1h", "duration",
            "A failure streak is forgotten this long after its last failure.", Parsers::duration, false);
    public static final Setting<Boolean> RATE_LIMITS = new Setting<>("ratelimit.enabled", "true", "boolean",
            "Rate limits on the authentication endpoints.", Parsers::bool, false);
    public static final Setting<RateLimit> RATE_LOGIN_IP = new Setting<>("ratelimit.login_per_ip", "60/1m", "rate",
            "Sign-in attempts per client IP.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_LOGIN_ACCOUNT = new Setting<>("ratelimit.login_per_account", "10/1m", "rate",
            "Sign-in attempts per e-mail address.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_SIGNUP_IP = new Setting<>("ratelimit.signup_per_ip", "20/1h", "rate",
            "Sign-ups per client IP.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_REFRESH_IP = new Setting<>("ratelimit.refresh_per_ip", "600/1m", "rate",
            "Token refreshes per client IP.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_ACCOUNT_IP = new Setting<>("ratelimit.account_per_ip", "300/1m", "rate",
            "Other /api/auth calls (me, sessions, password) per client IP.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_API_KEY_PER_KEY = new Setting<>("ratelimit.api_key_exchange_per_key", "60/1m", "rate",
            "API-key exchanges at the token endpoint per client and key id (a text that is no key counts under one id per client); "
                    + "the SDK caches each token for minutes, so this only stops a client hammering one key.", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_API_KEY_PER_CLIENT = new Setting<>("ratelimit.api_key_exchange_per_client", "600/1m", "rate",
            "API-key exchanges at the token endpoint per client, whatever the key (bounds a client trying many key ids).",
            Parsers::rate, false);

    // ---- operations
    public static final Setting<String> LOG_FORMAT = new Setting<>("log.format", "json", "json|text",
            "Log lines as JSON (one object per line, with trace_id) or as text (`latchkey dev` uses text unless set).",
            Parsers::string, false);
    public static final Setting<String> LOG_LEVEL = new Setting<>("log.level", "info", "level",
            "Root log level: error, warn, info, debug.", Parsers::string, false);
    public static final Setting<java.util.OptionalInt> MANAGEMENT_PORT = new Setting<>("management.port", "", "port",
            "A second listener (on `http.host`) for operators: when set, `/metrics` is served only there, no longer on `http.port`; "
                    + "`/health/live` and `/health/ready` are served on both. Empty: everything on `http.port`.",
            Parsers::optionalInteger, false);

    // ---- e-mail (docs/email.md)
    public static final Setting<String> SMTP_HOST = new Setting<>("smtp.host", "", "host",
            "SMTP server for mail (verification, password reset, sign-in links). Empty: `latchkey server` sends no mail and the "
                    + "features that need it are off; `latchkey dev` keeps mails in its dev mailbox (/dev/mail).", Parsers::string, false);
    public static final Setting<Integer> SMTP_PORT = new Setting<>("smtp.port", "587", "port",
            "SMTP port (587 for STARTTLS, 465 for TLS).", Parsers::integer, false);
    public static final Setting<String> SMTP_TLS = new Setting<>("smtp.tls", "starttls", "starttls|tls|none",
            "starttls: upgrade the connection and refuse to send without it; tls: TLS from the first byte (port 465); "
                    + "none: plain text (only for a relay on localhost or in tests).", Parsers::string, false);
    public static final Setting<String> SMTP_USER = new Setting<>("smtp.user", "", "string",
            "SMTP user name (empty: no authentication).", Parsers::string, false);
    public static final Setting<String> SMTP_PASSWORD = new Setting<>("smtp.password", "", "secret",
            "SMTP password.", Parsers::string, true);
    public static final Setting<String> SMTP_FROM = new Setting<>("smtp.from", "", "address",
            "Sender address of every mail, e.g. `login@example.com`. Required with smtp.host.", Parsers::string, false);
    public static final Setting<String> SMTP_PRODUCT_NAME = new Setting<>("smtp.product_name", "Latchkey", "string",
            "Product name in mail subjects, bodies and the sender's display name.", Parsers::string, false);
    public static final Setting<String> EMAIL_VERIFICATION = new Setting<>("email.verification", "optional", "off|optional|required",
            "E-mail verification: off (no mail); optional (mailed at sign-up, sign-in allowed meanwhile); required (no sign-in "
                    + "before the address is verified; needs mail).", Parsers::string, false);
    public static final Setting<Duration> EMAIL_VERIFICATION_TTL = new Setting<>("email.verification_ttl", "24h", "duration",
            "Lifetime of verification and e-mail-change links (1 min to 7 d).", Parsers::duration, false);
    public static final Setting<Duration> EMAIL_SIGNIN_TTL = new Setting<>("email.signin_ttl", "15m", "duration",
            "Lifetime of sign-in links and codes (1 to 15 min).", Parsers::duration, false);
    public static final Setting<Duration> EMAIL_RESET_TTL = new Setting<>("email.reset_ttl", "15m", "duration",
            "Lifetime of password-reset links (1 to 15 min).", Parsers::duration, false);
    public static final Setting<Duration> EMAIL_INVITATION_TTL = new Setting<>("email.invitation_ttl", "7d", "duration",
            "Lifetime of mailed organization invitations (1 h to 30 d).", Parsers::duration, false);
    public static final Setting<Boolean> EMAIL_MAGIC_LINKS = new Setting<>("email.magic_links", "true", "boolean",
            "Offer passwordless sign-in by a mailed link and code (when mail is available).", Parsers::bool, false);
    public static final Setting<Boolean> EMAIL_PASSWORD_RESET = new Setting<>("email.password_reset", "true", "boolean",
            "Offer \"forgot password\" by mail (when mail is available).", Parsers::bool, false);
    public static final Setting<RateLimit> RATE_MAIL_ADDRESS = new Setting<>("ratelimit.mail_per_address", "5/1h", "rate",
            "Mails requested per e-mail address (verification, reset, sign-in links, e-mail change).", Parsers::rate, false);
    public static final Setting<RateLimit> RATE_MAIL_IP = new Setting<>("ratelimit.mail_per_ip", "30/1h", "rate",
            "Mails requested and mailed codes tried per client IP.", Parsers::rate, false);

    // ---- multi-factor sign-in
    public static final Setting<String> MFA_POLICY = new Setting<>("mfa.policy", "optional", "optional|required|role,org:<id>,…",
            "Second factor: optional (users choose to enrol one); required (everyone, and a user without one enrols right after "
                    + "the first factor); or a comma-separated list of roles (held in any organization) and `org:<organization id>` "
                    + "entries (every member) whose users must use one.", Parsers::string, false);
    public static final Setting<Duration> MFA_RECENT = new Setting<>("mfa.recent", "10m", "duration",
            "How recent a second factor must be for sensitive account actions (password, e-mail, factors); older asks again "
                    + "(1 min to 24 h).", Parsers::duration, false);

    // ---- upstream identity providers (docs/identity-providers.md)
    public static final Setting<List<String>> IDP_PROVIDERS = new Setting<>("idp.providers", "", "list",
            "Names of the upstream identity providers to offer (comma-separated, lower-case letters and digits). Each is configured "
                    + "with `idp.<name>.<field>` in the file or `LATCHKEY_IDP_<NAME>_<FIELD>` (e.g. `LATCHKEY_IDP_GITHUB_CLIENT_ID`); "
                    + "the fields and presets are in [identity-providers.md](identity-providers.md). Providers can also be added at run "
                    + "time through the admin API and `latchkey idp add`.", Parsers::list, false);

    // ---- passkeys (docs/mfa.md#passkeys)
    public static final Setting<String> PASSKEY_RP_ID = new Setting<>("passkeys.rp_id", "", "domain",
            "WebAuthn RP ID of passkeys. Empty: the public URL's host. Set a parent domain of it (e.g. `example.com` for "
                    + "`login.example.com`) so the passkeys also serve sibling subdomains; changing it later orphans every registered passkey.",
            Parsers::string, false);
    public static final Setting<List<String>> PASSKEY_ORIGINS = new Setting<>("passkeys.origins", "", "list",
            "Further origins (`https://host[:port]`, within the RP ID) allowed to run passkey ceremonies, comma-separated; "
                    + "the public URL's origin always is.", Parsers::list, false);

    // ---- relations (the OpenFGA-compatible /fga API): what one query may cost
    public static final Setting<Integer> RELATIONS_MAX_DEPTH = new Setting<>("relations.max_depth", "25", "integer",
            "Nested lookups along one path of a check or list query (1 to 100; OpenFGA's resolution depth). Deeper: 400 "
                    + "`authorization_model_resolution_too_complex`.", Parsers::integer, false);
    public static final Setting<Integer> RELATIONS_MAX_DISPATCHES = new Setting<>("relations.max_dispatches", "10000", "integer",
            "Lookups one check may make (fan-out; 1 to 1,000,000). More: 400 `resolution_fan_out_exceeded`.", Parsers::integer, false);
    public static final Setting<Integer> RELATIONS_MAX_LIST_DISPATCHES = new Setting<>("relations.max_list_dispatches", "200000", "integer",
            "Lookups one list-objects or list-users request may make over all its candidates (1 to 10,000,000); a list stops "
                    + "there and answers what it has found.", Parsers::integer, false);
    public static final Setting<Duration> RELATIONS_DEADLINE = new Setting<>("relations.deadline", "3s", "duration",
            "Time one query may take (1 ms to 60 s). A check past it answers 504 `deadline_exceeded`, as OpenFGA does; a list "
                    + "answers what it has found.", Parsers::duration, false);
    public static final Setting<Integer> RELATIONS_MAX_LIST_RESULTS = new Setting<>("relations.max_list_results", "1000", "integer",
            "Objects or users one list answer holds (1 to 100,000; OpenFGA's default 1,000).", Parsers::integer, false);

    // ---- API keys (docs/authorization.md#api-keys)
    public static final Setting<String> API_KEYS_ENV = new Setting<>("api_keys.env", "live", "string",
            "The environment in the API keys this server makes, `lk_<env>_<id>_<secret>` (1-16 lower-case letters, e.g. `live` or "
                    + "`test`); a key of another environment is refused.", Parsers::string, false);
    public static final Setting<Duration> API_KEYS_MAX_LIFETIME = new Setting<>("api_keys.max_lifetime", "365d", "duration",
            "The longest an API key may live (1 day to 10 years); a key made without `expires_in` gets this lifetime.",
            Parsers::duration, false);
    public static final Setting<Duration> API_KEYS_TOKEN_TTL = new Setting<>("api_keys.token_ttl", "", "duration",
            "Lifetime of the access token an API key is exchanged for (1 s up to `LATCHKEY_TOKENS_ACCESS_TTL`); empty: the access-token "
                    + "lifetime.", s -> s.isBlank() ? null : Parsers.duration(s), false);

    /** All settings, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            HTTP_HOST, HTTP_PORT, PUBLIC_URL, HTTP_MAX_BODY, HTTP_TRUST_PROXY,
            DATA_DIR, DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_EMBEDDED_PORT, REDIS_URL, MASTER_KEY,
            ACCESS_TTL, ID_TOKEN_TTL, AUDIENCE, REFRESH_GRACE, API_IDLE, API_ABSOLUTE, BROWSER_IDLE, BROWSER_ABSOLUTE, COOKIE_SECURE,
            KEY_ROTATION, KEY_PREPUBLISH, JWKS_MAX_AGE,
            PASSWORD_MIN, ARGON2_MEMORY, ARGON2_ITERATIONS, ARGON2_PARALLELISM, PEPPER, PEPPER_ID,
            LOCKOUT_THRESHOLD, LOCKOUT_BASE, LOCKOUT_MAX, LOCKOUT_RESET,
            RATE_LIMITS, RATE_LOGIN_IP, RATE_LOGIN_ACCOUNT, RATE_SIGNUP_IP, RATE_REFRESH_IP, RATE_ACCOUNT_IP,
            RATE_API_KEY_PER_KEY, RATE_API_KEY_PER_CLIENT,
            ADMIN_API_KEY, LOG_FORMAT, LOG_LEVEL, MANAGEMENT_PORT,
            SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_PRODUCT_NAME,
            EMAIL_VERIFICATION, EMAIL_VERIFICATION_TTL, EMAIL_SIGNIN_TTL, EMAIL_RESET_TTL, EMAIL_INVITATION_TTL, EMAIL_MAGIC_LINKS,
            EMAIL_PASSWORD_RESET, RATE_MAIL_ADDRESS, RATE_MAIL_IP,
            IDP_PROVIDERS, PASSKEY_RP_ID, PASSKEY_ORIGINS,
            RELATIONS_MAX_DEPTH, RELATIONS_MAX_DISPATCHES, RELATIONS_MAX_LIST_DISPATCHES, RELATIONS_DEADLINE, RELATIONS_MAX_LIST_RESULTS,
            MFA_POLICY, MFA_RECENT,
            API_KEYS_ENV, API_KEYS_MAX_LIFETIME, API_KEYS_TOKEN_TTL);
}
