package dev.latchkey.sdk.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys: {@code jwks_uri} found through OpenID Connect Discovery 1.0 §4 (whose
 * {@code issuer} must equal the configured one, §4.3), the JWK Set (RFC 7517 §5) fetched and cached.
 *
 * <p>A token with an unknown {@code kid} triggers a refetch, but at most one per {@code refetchInterval}:
 * concurrent misses wait for the one fetch in flight, and misses inside the interval are answered from the
 * cache without touching the network, so an unknown-kid flood cannot hammer the issuer. A set older than
 * {@code maxAge} is refreshed by the next caller that finds the lock free (others keep using the old set),
 * so retired keys stop being accepted. A failed refresh keeps the last good set.
 */
final class IssuerKeys {
    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    private record Snapshot(Map<String, PublishedKey> keys, Instant fetchedAt) {
    }

    private final String issuer;
    private final URI configuredJwksUri;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration refetchInterval;
    private final Duration maxAge;
    private final Clock clock;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile Snapshot snapshot;
    private volatile Instant lastAttempt;
    private volatile URI jwksUri;

    IssuerKeys(String issuer, URI jwksUri, HttpClient http, Duration requestTimeout, Duration refetchInterval,
            Duration maxAge, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.configuredJwksUri = jwksUri;
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.refetchInterval = Objects.requireNonNull(refetchInterval, "refetchInterval");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key published under {@code kid}, refetching the set at a bounded rate when it is unknown. */
    PublishedKey find(String kid) throws TokenRejectedException {
        Snapshot current = snapshot;
        if (current != null) {
            if (isStale(current)) {
                refreshIfFree();
                current = snapshot;
            }
            PublishedKey key = current.keys().get(kid);
            if (key != null) {
                return key;
            }
            if (!mayFetch()) {
                throw unknown(kid);
            }
        }
        return fetchFor(kid);
    }

    /** Loads the set now unless a fetch ran within the refetch interval. */
    void load() throws TokenRejectedException {
        fetchLock.lock();
        try {
            if (snapshot == null || mayFetch()) {
                fetch();
            }
        } finally {
            fetchLock.unlock();
        }
    }

    private PublishedKey fetchFor(String kid) throws TokenRejectedException {
        fetchLock.lock();
        try {
            Snapshot current = snapshot;
            if (current != null && current.keys().containsKey(kid)) {
                return current.keys().get(kid); // a concurrent miss already fetched it
            }
            if (!mayFetch()) {
                if (current == null) {
                    throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE,
                            "no JWKS loaded yet; next attempt after " + lastAttempt.plus(refetchInterval));
                }
                throw unknown(kid);
            }
            try {
                fetch();
            } catch (TokenRejectedException e) {
                if (current == null) {
                    throw e;
                }
                throw unknown(kid);
            }
            PublishedKey key = snapshot.keys().get(kid);
            if (key == null) {
                throw unknown(kid);
            }
            return key;
        } finally {
            fetchLock.unlock();
        }
    }

    private void refreshIfFree() {
        if (!fetchLock.tryLock()) {
            return;
        }
        try {
            Snapshot current = snapshot;
            if (current != null && isStale(current) && mayFetch()) {
                fetch();
            }
        } catch (TokenRejectedException e) {
            log.warn("JWKS refresh failed, keeping the keys fetched at {}: {}", snapshot.fetchedAt(), e.getMessage());
        } finally {
            fetchLock.unlock();
        }
    }

    private boolean isStale(Snapshot s) {
        return !clock.instant().isBefore(s.fetchedAt().plus(maxAge));
    }

    private boolean mayFetch() {
        Instant last = lastAttempt;
        return last == null || !clock.instant().isBefore(last.plus(refetchInterval));
    }

    private static TokenRejectedException unknown(String kid) {
        return new TokenRejectedException(RejectReason.UNKNOWN_KEY, "no published key with kid " + Echo.of(kid));
    }

    /** Caller holds {@link #fetchLock}. */
    private void fetch() throws TokenRejectedException {
        lastAttempt = clock.instant();
        try {
            URI uri = jwksUri != null ? jwksUri : discover();
            JWKSet set = JWKSet.parse(get(uri));
            Map<String, PublishedKey> keys = new HashMap<>();
            for (JWK jwk : set.getKeys()) {
                if (jwk.getKeyID() == null) {
                    log.warn("JWKS {} has a key without kid; it is ignored", uri);
                    continue;
                }
                PublishedKey key = KeyAdmission.admit(jwk);
                if (key instanceof PublishedKey.Refused refused) {
                    log.warn("JWKS key {} is refused: {}", refused.kid(), refused.why());
                }
                keys.putIfAbsent(jwk.getKeyID(), key);
            }
            snapshot = new Snapshot(Map.copyOf(keys), clock.instant());
            jwksUri = uri;
            log.info("fetched JWKS from {}: kids {}", uri, keys.keySet());
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "cannot load the issuer's JWKS: " + Echo.of(e.getMessage(), 200), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRejectedException(RejectReason.KEYS_UNAVAILABLE, "interrupted while loading the JWKS", e);
        }
    }

    private URI discover() throws IOException, InterruptedException, ParseException {
        if (configuredJwksUri != null) {
            return configuredJwksUri;
        }
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI discovery = URI.create(base + "/.well-known/openid-configuration");
        Map<String, Object> doc = JSONObjectUtils.parse(get(discovery));
        String published = JSONObjectUtils.getString(doc, "issuer");
        if (!issuer.equals(published)) {
            throw new IOException("discovery document at " + discovery + " names issuer " + published
                    + ", expected " + issuer);
        }
        URI uri = JSONObjectUtils.getURI(doc, "jwks_uri");
        if (uri == null || !uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IOException("discovery document at " + discovery + " has no usable jwks_uri");
        }
        return uri;
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new IOException("GET " + uri + " returned more than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
