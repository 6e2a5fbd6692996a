package dev.latchkey.core.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.core.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys in memory: decrypted once per load, the active one chosen by time (the newest
 * key whose activation time has passed), all published ones served as the JWKS. Rotation inserts
 * the next key ahead of its activation so relying parties see it before the first token it signs;
 * the previous key stays published until its last token has expired.
 *
 * <p>Every {@link SigningAlgorithm} has keys of its own, created, rotated, pre-published and retired
 * alike and on the same schedule: ES256 keys sign access tokens (and the ID tokens of clients that
 * register ES256), RS256 keys the other ID tokens. A missing algorithm's first key is created at
 * start (and only then: an RSA key takes a while to generate).
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    /** A usable key: its JWK (with private part) and a ready signer. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
    }

    private record Loaded(StoredSigningKey stored, ActiveKey key, JWK publicJwk, JWSVerifier verifier) {
    }

    private final SigningKeyStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final KeyPolicy policy;
    private volatile List<Loaded> keys = List.of();
    private volatile String jwksJson = "{\"keys\":[]}";

    /** When and how keys rotate. */
    public record KeyPolicy(Duration rotationPeriod, Duration prepublish, Duration retireAfter) {
        public KeyPolicy {
            Objects.requireNonNull(rotationPeriod, "rotationPeriod");
            Objects.requireNonNull(prepublish, "prepublish");
            Objects.requireNonNull(retireAfter, "retireAfter");
            if (rotationPeriod.compareTo(prepublish) <= 0) {
                throw new IllegalArgumentException("the rotation period must be longer than the pre-publication time");
            }
        }
    }

    public KeyRing(SigningKeyStore store, MasterKey masterKey, Clock clock, KeyPolicy policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Creates the first key of every algorithm that has none (safe when several nodes start at
     * once), then loads. Keys that exist are never regenerated, so a restart costs no key generation.
     */
    public void start() {
        Instant now = clock.instant();
        List<StoredSigningKey> published = store.published(now);
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            if (published.stream().noneMatch(k -> k.algorithm().equals(alg.wireName()))) {
                // no key of this algorithm yet: the first one is active at once (no token can exist that needs an older one)
                if (store.rotateIfDue(generate(alg, now, now), Instant.MIN, now)) {
                    LOG.info("created the first {} signing key", alg.wireName());
                }
            }
        }
        reload();
    }

    /**
     * Rotates each algorithm whose newest key is older than the rotation period (or that has no
     * published key left, e.g. after {@code keys retire}); returns whether this node rotated any.
     */
    public boolean rotateIfDue() {
        Instant now = clock.instant();
        List<StoredSigningKey> published = store.published(now);
        boolean any = false;
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            any |= rotate(alg, published, now, now.minus(policy.rotationPeriod()));
        }
        reload();
        return any;
    }

    /** Rotates every algorithm now, whatever the schedule (the next keys still activate after the pre-publication time). */
    public boolean rotateNow() {
        Instant now = clock.instant();
        List<StoredSigningKey> published = store.published(now);
        boolean any = false;
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            any |= rotate(alg, published, now, Instant.MAX);
        }
        reload();
        return any;
    }

    private boolean rotate(SigningAlgorithm alg, List<StoredSigningKey> published, Instant now, Instant dueBefore) {
        List<StoredSigningKey> own = published.stream().filter(k -> k.algorithm().equals(alg.wireName())).toList();
        // generating a key (an RSA one especially) is the expensive part: skip it when a fresh key exists already;
        // the store decides again under its lock, so this read only saves work and never decides
        if (!Instant.MAX.equals(dueBefore) && own.stream().anyMatch(k -> !k.createdAt().isBefore(dueBefore))) {
            return false;
        }
        // with no published key of the algorithm left, nothing can sign until the next one activates: activate it at once
        Instant activates = own.isEmpty() ? now : now.plus(policy.prepublish());
        StoredSigningKey next = generate(alg, now, activates);
        boolean done = store.rotateIfDue(next, dueBefore, activates.plus(policy.retireAfter()));
        if (done) {
            LOG.info("{} signing key {} published; it activates at {}", alg.wireName(), next.kid(), activates);
        }
        return done;
    }

    /** Re-reads the published keys (called on a schedule and after rotation). */
    public void reload() {
        Instant now = clock.instant();
        List<Loaded> loaded = new ArrayList<>();
        for (StoredSigningKey s : store.published(now)) {
            loaded.add(load(s));
        }
        loaded.sort(Comparator.comparing((Loaded l) -> l.stored().activatesAt()));
        List<JWK> publics = new ArrayList<>();
        for (Loaded l : loaded) {
            publics.add(l.publicJwk());
        }
        this.keys = List.copyOf(loaded);
        this.jwksJson = new JWKSet(publics).toString(true);
    }

    /** The ES256 key to sign with now (access tokens). */
    public ActiveKey active() {
        return active(SigningAlgorithm.ES256);
    }

    /** The key of {@code alg} to sign with now. */
    public ActiveKey active(SigningAlgorithm alg) {
        Instant now = clock.instant();
        ActiveKey best = null;
        for (Loaded l : keys) {
            if (l.key().algorithm().equals(alg.jws()) && !l.stored().activatesAt().isAfter(now)) {
                best = l.key();
            }
        }
        if (best == null) {
            throw new IllegalStateException("no active " + alg.wireName() + " signing key (was KeyRing.start() called?)");
        }
        return best;
    }

    /** The published public keys as a JWK Set document (RFC 7517 §5). */
    public String jwksJson() {
        return jwksJson;
    }

    /** The verifier of a published key, for tokens this server issued; empty for an unknown kid. */
    public Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        for (Loaded l : keys) {
            if (l.stored().kid().equals(kid) && l.key().algorithm().equals(alg)) {
                return Optional.of(l.verifier());
            }
        }
        return Optional.empty();
    }

    public boolean isPublished(String kid) {
        for (Loaded l : keys) {
            if (l.stored().kid().equals(kid)) {
                return true;
            }
        }
        return false;
    }

    public List<JWK> publicKeys() {
        List<JWK> out = new ArrayList<>();
        for (Loaded l : keys) {
            out.add(l.publicJwk());
        }
        return out;
    }

    private Loaded load(StoredSigningKey s) {
        SigningAlgorithm alg = SigningAlgorithm.fromWire(s.algorithm())
                .orElseThrow(() -> new IllegalStateException("signing key " + s.kid() + " has an unknown algorithm " + s.algorithm()));
        try {
            byte[] priv = masterKey.open(s.sealedPrivateKey(), "signing-key:" + s.kid());
            JWSSigner signer = alg.signer(new String(priv, StandardCharsets.UTF_8));
            return new Loaded(s, new ActiveKey(s.kid(), alg.jws(), signer), JWK.parse(s.publicJwk()), alg.verifier(s.publicJwk()));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("signing key " + s.kid() + " cannot be loaded", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + s.kid() + " cannot be decrypted: is LATCHKEY_MASTER_KEY the one it was created with?", e);
        }
    }

    private StoredSigningKey generate(SigningAlgorithm alg, Instant now, Instant activates) {
        try {
            String kid = UUID.randomUUID().toString();
            JWK key = alg.generate(kid);
            byte[] sealed = masterKey.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), "signing-key:" + kid);
            return new StoredSigningKey(kid, alg.wireName(), key.toPublicJWK().toJSONString(), sealed, now, activates, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an " + alg.wireName() + " key", e);
        }
    }
}
