package dev.latchkey.sdk.apikey;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges an API key ({@code lk_<env>_<id>_<secret>}) that a caller presented for a short-lived access token at the
 * issuer's token endpoint (RFC 8693, {@code subject_token_type=urn:latchkey:params:oauth:token-type:api-key}),
 * authenticating as this service's client ({@code client_secret_basic}; the client needs the token-exchange grant).
 * The token is cached, keyed by a SHA-256 of the key (never the key itself), until {@code renewBefore} ahead of its
 * expiry; concurrent requests with one key share one exchange (single flight), and no lock is held during it, so
 * requests with other keys never wait for it. The caller verifies the token as any other (so the
 * revocation feed applies to it); {@link #forget} drops a cached token the verifier refused. Neither the key nor
 * the token is ever logged: logs name the key's public id only.
 */
public final class ApiKeyExchanger {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyExchanger.class);
    public static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String API_KEY_TOKEN_TYPE = "urn:latchkey:params:oauth:token-type:api-key";

    private record Cached(String token, Instant renewAt) {
    }

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String authorization;
    private final Clock clock;
    private final Duration renewBefore;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Cached>> inFlight = new ConcurrentHashMap<>();

    private ApiKeyExchanger(Builder b) {
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.tokenEndpoint = URI.create(Objects.requireNonNull(b.issuer, "issuer") + "/oauth2/token");
        String pair = URLEncoder.encode(Objects.requireNonNull(b.clientId, "clientId"), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(Objects.requireNonNull(b.clientSecret, "clientSecret"), StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        this.clock = b.clock;
        this.renewBefore = b.renewBefore;
        this.maxEntries = b.maxEntries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a presented credential is an API key rather than a JWT. */
    public static boolean isApiKey(String credential) {
        return credential != null && credential.startsWith("lk_");
    }

    /**
     * An access token for {@code apiKey}: cached, or exchanged now. {@link RejectReason#API_KEY_REFUSED} when the
     * issuer refuses the key; {@link RejectReason#KEYS_UNAVAILABLE} when it cannot be reached (transient).
     */
    public String accessToken(String apiKey) throws TokenRejectedException {
        String id = hash(apiKey);
        Cached c = cache.get(id);
        if (usable(c)) {
            return c.token();
        }
        // single flight per key, and no map lock held during the HTTP call: the first request for a key puts its
        // future in inFlight and exchanges; the others with that key wait for that future; other keys go on
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = inFlight.putIfAbsent(id, mine);
        if (running == null) {
            running = mine;
            try {
                Cached again = cache.get(id);           // exchanged by another request since our read above
                Cached fresh = usable(again) ? again : exchange(apiKey);
                cache.put(id, fresh);
                mine.complete(fresh);
            } catch (TokenRejectedException | RuntimeException e) {
                cache.remove(id);
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(id, mine);
            }
            if (cache.size() > maxEntries) {
                cache.entrySet().removeIf(e -> !clock.instant().isBefore(e.getValue().renewAt()));
            }
        }
        try {
            return running.get().token();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TokenRejectedException t) {
                throw t;                                // the one refusal, to every request that waited for it
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "interrupted while another request exchanged the key", e);
        }
    }

    private boolean usable(Cached c) {
        return c != null && clock.instant().isBefore(c.renewAt());
    }

    /** Drops the cached token of {@code apiKey} (after the verifier refused it, e.g. revoked): the next call exchanges again. */
    public void forget(String apiKey) {
        cache.remove(hash(apiKey));
    }

    private Cached exchange(String apiKey) throws TokenRejectedException {
        String form = "grant_type=" + enc(GRANT) + "&subject_token_type=" + enc(API_KEY_TOKEN_TYPE) + "&subject_token=" + enc(apiKey);
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10)).header("Authorization", authorization)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "cannot reach " + tokenEndpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "interrupted", e);
        }
        Map<String, Object> body;
        try {
            body = JSONObjectUtils.parse(r.body());
        } catch (ParseException e) {
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "token endpoint answered " + r.statusCode() + " without JSON", e);
        }
        if (r.statusCode() == 400 && "invalid_grant".equals(body.get("error"))) {
            log.info("API key {} refused by the issuer", publicId(apiKey));
            throw new TokenRejectedException(RejectReason.API_KEY_REFUSED, "api key " + publicId(apiKey) + " refused");
        }
        if (r.statusCode() != 200 || !(body.get("access_token") instanceof String token)) {
            // the service's own client is misconfigured (no grant, wrong secret) or the issuer failed: not the caller's fault
            log.warn("API key exchange failed: {} {}", r.statusCode(), body.get("error"));
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "token exchange answered " + r.statusCode() + " " + body.get("error"));
        }
        long expiresIn = body.get("expires_in") instanceof Number n ? n.longValue() : 60;
        Instant renewAt = clock.instant().plusSeconds(expiresIn).minus(renewBefore);
        return new Cached(token, renewAt);
    }

    /** The key's public id (its third part), what logs may name. */
    static String publicId(String apiKey) {
        String[] parts = apiKey.split("_", -1);
        return parts.length == 4 && parts[2].length() <= 32 ? parts[2] : "(malformed)";
    }

    private static String hash(String apiKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiKeyExchanger[" + tokenEndpoint + "]";
    }

    public static final class Builder {
        private String issuer;
        private String clientId;
        private String clientSecret;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Duration renewBefore = Duration.ofSeconds(30);
        private int maxEntries = 10_000;

        public Builder issuer(String issuer) {
            this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            return this;
        }

        /** This service's client, which must be confidential and registered with the token-exchange grant. */
        public Builder clientSecretBasic(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long before its expiry a cached token is exchanged anew (default 30 s). */
        public Builder renewBefore(Duration d) {
            this.renewBefore = Objects.requireNonNull(d, "renewBefore");
            return this;
        }

        public Builder maxEntries(int n) {
            this.maxEntries = n;
            return this;
        }

        public ApiKeyExchanger build() {
            return new ApiKeyExchanger(this);
        }
    }
}
