package dev.latchkey.gateway.config;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.store.sql.PostgresUrl;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's whole configuration: one immutable tree, built and validated at start by
 * {@link GatewayConfigLoader}; each component receives only its slice.
 */
public record GatewayConfig(Http http, Client client, Routing routing, Storage storage, Sessions sessions, Assertion assertion,
                            Proxy proxy, Ops ops, List<String> warnings) {

    public GatewayConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(ops, "ops");
        warnings = List.copyOf(warnings);
    }

    /** Where to listen and the external origin (no trailing slash). */
    public record Http(String host, int port, URI publicUrl) {
        public String origin() {
            String s = publicUrl.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        public String redirectUri() {
            return origin() + "/auth/callback";
        }
    }

    /** The gateway as an OAuth client of the Latchkey server. */
    public record Client(URI issuer, String clientId, String clientSecret, String scope, Optional<String> tokenAudience,
                         URI postLogoutRedirectUri, boolean revocationFeed) {
        @Override
        public String toString() {
            return "Client[issuer=" + issuer + ", clientId=" + clientId + ", scope=" + scope + "]";
        }
    }

    /** API routes (longest prefix wins), the frontend fallback and the frontend paths that need a session. */
    public record Routing(List<Route> api, Optional<URI> frontend, List<String> protectedPaths, String defaultPage) {
        public Routing {
            api = List.copyOf(api);
            protectedPaths = List.copyOf(protectedPaths);
        }
    }

    /** {@code prefix} (e.g. /api/notes) is forwarded to {@code upstream} + the full request path. */
    public record Route(String prefix, URI upstream) {
        public boolean matches(String path) {
            return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
        }
    }

    /** Session database and the key that seals tokens at rest. */
    public record Storage(PostgresUrl database, int poolSize, Optional<String> redisUrl, MasterKey sessionKey) {
        @Override
        public String toString() {
            return "Storage[" + database + ", poolSize=" + poolSize + ", redis=" + redisUrl.isPresent() + "]";
        }
    }

    /**
     * Session lifetime rules, and the refresh: its margin before expiry ({@code refreshSkew}) and how long a node holds
     * a session's cross-node refresh lease ({@code refreshLease}, which bounds its token requests too).
     */
    public record Sessions(Duration idle, Duration absolute, Duration touchEvery, Duration cacheTtl, Duration refreshSkew,
                           Duration refreshLease) {
    }

    /** The Latchkey-Assertion header's audience. */
    public record Assertion(String audience) {
    }

    /** Logging. */
    public record Ops(String logFormat, String logLevel) {
    }

    /** Reverse-proxy limits: bodies buffered for a retry, the largest body forwarded, the wait for upstream headers. */
    public record Proxy(int retryBodyMax, int bodyMax, Duration upstreamTimeout) {
    }
}
