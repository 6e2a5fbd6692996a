package dev.latchkey.gateway.config;

import java.util.List;

/** Every setting the gateway reads, with its one default. */
public final class GatewaySettings {
    private GatewaySettings() {
    }

    public static final GatewaySetting ISSUER = new GatewaySetting("ISSUER", "",
            "Required. The Latchkey server's issuer URL; endpoints are discovered from <issuer>/.well-known/openid-configuration.", false);
    public static final GatewaySetting CLIENT_ID = new GatewaySetting("CLIENT_ID", "",
            "Required. The gateway's client id at the server (a confidential, first-party client).", false);
    public static final GatewaySetting CLIENT_SECRET = new GatewaySetting("CLIENT_SECRET", "",
            "Required. The client's secret (client_secret_basic).", true);
    public static final GatewaySetting SCOPE = new GatewaySetting("SCOPE", "openid profile email offline_access",
            "Scopes requested at sign-in; must contain openid.", false);
    public static final GatewaySetting PUBLIC_URL = new GatewaySetting("PUBLIC_URL", "http://localhost:8000",
            "The gateway's external origin: the redirect URI is <public_url>/auth/callback, the assertion's iss is this URL, "
                    + "and it is the only Origin accepted for state-changing requests. https, except http://localhost.", false);
    public static final GatewaySetting HOST = new GatewaySetting("HOST", "0.0.0.0", "Interface to listen on.", false);
    public static final GatewaySetting PORT = new GatewaySetting("PORT", "8000", "TCP port to listen on (0: any free port).", false);
    public static final GatewaySetting ROUTES = new GatewaySetting("ROUTES", "",
            "API routes, comma-separated prefix=upstream pairs, e.g. /api/notes=http://127.0.0.1:8001. They receive "
                    + "Authorization: Bearer <access token>; no session → 401.", false);
    public static final GatewaySetting FRONTEND = new GatewaySetting("FRONTEND", "",
            "Upstream of every other path (the frontend), e.g. http://127.0.0.1:8002. It receives the Latchkey-Assertion "
                    + "header when a user is signed in, never a Bearer token. Empty: other paths are 404.", false);
    public static final GatewaySetting PROTECTED_PATHS = new GatewaySetting("PROTECTED_PATHS", "",
            "Comma-separated path prefixes of the frontend that need a session; without one the gateway redirects to "
                    + "/auth/login?returnTo=<path>.", false);
    public static final GatewaySetting DEFAULT_PAGE = new GatewaySetting("DEFAULT_PAGE", "/",
            "Where a missing or rejected returnTo lands.", false);
    public static final GatewaySetting POST_LOGOUT_REDIRECT_URI = new GatewaySetting("POST_LOGOUT_REDIRECT_URI", "",
            "Registered post_logout_redirect_uri sent to the server's end_session_endpoint; empty: <public_url>/.", false);
    public static final GatewaySetting DATABASE_URL = new GatewaySetting("DATABASE_URL", "",
            "Required. PostgreSQL for gateway sessions (postgresql://user:pass@host/db or jdbc:postgresql://…); may be the "
                    + "server's database (own tables gateway_*, own history table gateway_schema_history).", true);
    public static final GatewaySetting DATABASE_POOL_SIZE = new GatewaySetting("DATABASE_POOL_SIZE", "16",
            "Maximum connections, 2 to 500 (each statement borrows one briefly; none is held while a refresh waits for the server).", false);
    public static final GatewaySetting REDIS_URL = new GatewaySetting("REDIS_URL", "",
            "Optional Redis (redis://host:6379, rediss://…): when set, the cross-node refresh lease is kept in Redis instead "
                    + "of in PostgreSQL (gateway_refresh_leases) while Redis answers, and in PostgreSQL while it does not (the "
                    + "gateway starts, serves and reconnects by itself with Redis down; /health/ready says degraded).", true);
    public static final GatewaySetting SESSION_KEY = new GatewaySetting("SESSION_KEY", "",
            "32 bytes (base64 or hex) that seal the tokens at rest (AES-256-GCM), key the session-id hashes and seal the "
                    + "assertion signing key. Falls back to LATCHKEY_GATEWAY_MASTER_KEY; one of them is required. Same on every node.", true);
    public static final GatewaySetting MASTER_KEY = new GatewaySetting("MASTER_KEY", "",
            "An installation master key to derive the session key from (HKDF, purpose gateway/session) when SESSION_KEY is empty.", true);
    public static final GatewaySetting SESSION_IDLE = new GatewaySetting("SESSION_IDLE", "30m",
            "A session ends after this long without a request.", false);
    public static final GatewaySetting SESSION_ABSOLUTE = new GatewaySetting("SESSION_ABSOLUTE", "12h",
            "A session ends this long after sign-in, whatever its activity.", false);
    public static final GatewaySetting SESSION_TOUCH_EVERY = new GatewaySetting("SESSION_TOUCH_EVERY", "60s",
            "The sliding idle timestamp is written at most this often per session (not on every request).", false);
    public static final GatewaySetting SESSION_CACHE_TTL = new GatewaySetting("SESSION_CACHE_TTL", "5s",
            "How long a node trusts its in-memory copy of a session before re-reading it (bounds how long a logout "
                    + "on another node takes to reach this one; deletes on this node evict at once).", false);
    public static final GatewaySetting REFRESH_SKEW = new GatewaySetting("REFRESH_SKEW", "30s",
            "Refresh the access token this long before it expires, but at most a tenth of its lifetime before (so short-lived "
                    + "tokens are refreshed about once per lifetime, not on every request); at most 10m.", false);
    public static final GatewaySetting REFRESH_LEASE = new GatewaySetting("REFRESH_LEASE", "5s",
            "How long a node holds a session's cross-node refresh lease: its token requests (retries included) end within it, "
                    + "and a node that dies holding one delays that session's refresh by at most this long. Must stay below the "
                    + "server's tokens.refresh_grace (10s by default), at most half of it: the node that takes over presents the "
                    + "refresh token the dead one may have spent, which the server forgives only inside that window. 1s to 30s; "
                    + "above 5s warned about.", false);
    public static final GatewaySetting ASSERTION_AUDIENCE = new GatewaySetting("ASSERTION_AUDIENCE", "latchkey-app",
            "aud of the Latchkey-Assertion JWT sent to the frontend.", false);
    public static final GatewaySetting TOKEN_AUDIENCE = new GatewaySetting("TOKEN_AUDIENCE", "",
            "aud the server puts in the gateway's access tokens (checked when the gateway verifies them against the "
                    + "revocation feed); empty: the issuer.", false);
    public static final GatewaySetting REVOCATION_FEED = new GatewaySetting("REVOCATION_FEED", "true",
            "Follow the server's revocation feed (/api/revocations/events) so a disabled user or an ended server session "
                    + "ends the gateway session within seconds. The client needs the client_credentials grant and the "
                    + "latchkey:revocations scope.", false);
    public static final GatewaySetting RETRY_BODY_MAX = new GatewaySetting("RETRY_BODY_MAX", "64KiB",
            "Request bodies up to this size (with a Content-Length) are buffered so a request can be retried once after "
                    + "an upstream 401; larger or chunked bodies are streamed and never retried.", false);
    public static final GatewaySetting PROXY_BODY_MAX = new GatewaySetting("PROXY_BODY_MAX", "10MiB",
            "Largest request body the proxy forwards (declared by Content-Length or counted as a chunked body streams); "
                    + "a larger one is answered 413 payload_too_large with Connection: close and never reaches the upstream whole.", false);
    public static final GatewaySetting UPSTREAM_TIMEOUT = new GatewaySetting("UPSTREAM_TIMEOUT", "30s",
            "How long to wait for an upstream's response headers (504 after).", false);

    public static final GatewaySetting LOG_FORMAT = new GatewaySetting("LOG_FORMAT", "json",
            "json (one object per line, with trace_id) or text; used by `latchkey gateway`.", false);
    public static final GatewaySetting LOG_LEVEL = new GatewaySetting("LOG_LEVEL", "info",
            "error, warn, info, debug or trace.", false);

    public static final List<GatewaySetting> ALL = List.of(ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPE, PUBLIC_URL, HOST, PORT, ROUTES,
            FRONTEND, PROTECTED_PATHS, DEFAULT_PAGE, POST_LOGOUT_REDIRECT_URI, DATABASE_URL, DATABASE_POOL_SIZE, REDIS_URL, SESSION_KEY,
            MASTER_KEY, SESSION_IDLE, SESSION_ABSOLUTE, SESSION_TOUCH_EVERY, SESSION_CACHE_TTL, REFRESH_SKEW, REFRESH_LEASE, ASSERTION_AUDIENCE,
            TOKEN_AUDIENCE, REVOCATION_FEED, RETRY_BODY_MAX, PROXY_BODY_MAX, UPSTREAM_TIMEOUT, LOG_FORMAT, LOG_LEVEL);
}
