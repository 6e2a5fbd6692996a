package dev.latchkey.gateway.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.store.sql.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Login flows between {@code /auth/login} and {@code /auth/callback}: {@code state} (RFC 6749 §10.12), {@code nonce}
 * (OIDC Core §3.1.2.1) and the PKCE verifier (RFC 7636 §4.1) are created here, stored sealed under the hash of the
 * state, bound to the browser by the hash of a random value held in a flow cookie, and consumed exactly once
 * ({@code DELETE … RETURNING}), at most ten minutes later.
 */
public final class LoginFlows {
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbc jdbc;
    private final SessionIds ids;
    private final MasterKey key;
    private final Clock clock;

    public LoginFlows(Jdbc jdbc, SessionIds ids, MasterKey key, Clock clock) {
        this.jdbc = jdbc;
        this.ids = ids;
        this.key = key;
        this.clock = clock;
    }

    /** A started flow: what goes into the authorization request and the value of the flow cookie. */
    public record Started(String state, String nonce, String codeChallenge, String binding) {
        @Override
        public String toString() {
            return "Started[]";
        }
    }

    /** A consumed flow. */
    public record Flow(String nonce, String verifier, String returnTo) {
        @Override
        public String toString() {
            return "Flow[returnTo=" + returnTo + "]";
        }
    }

    public Started start(String returnTo) {
        String state = SessionIds.newValue();
        String nonce = SessionIds.newValue();
        String verifier = SessionIds.newValue() + SessionIds.newValue();   // 86 characters, RFC 7636 §4.1
        String binding = SessionIds.newValue();
        byte[] stateHash = ids.hash(state);
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(JSON.createObjectNode().put("nonce", nonce).put("verifier", verifier).put("return_to", returnTo));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Instant now = clock.instant();
        jdbc.update("INSERT INTO gateway_login_flows (state_hash, binding_hash, sealed, expires_at) VALUES (?, ?, ?, ?)",
                stateHash, ids.hash(binding), key.seal(payload, context(stateHash)), Jdbc.micros(now.plus(LIFETIME)));
        return new Started(state, nonce, challenge(verifier), binding);
    }

    /**
     * Consumes the flow named by {@code state} if the browser presents its binding; empty for an unknown,
     * replayed, expired or foreign state. A state is gone after this call whatever the outcome.
     */
    public Optional<Flow> consume(String state, String binding) {
        if (state == null || state.isEmpty() || state.length() > 128) {
            return Optional.empty();
        }
        byte[] stateHash = ids.hash(state);
        record Row(byte[] binding, byte[] sealed, Instant expiresAt) {
        }
        Optional<Row> row = jdbc.queryOne("DELETE FROM gateway_login_flows WHERE state_hash = ? RETURNING binding_hash, sealed, expires_at",
                rs -> new Row(rs.getBytes(1), rs.getBytes(2), Jdbc.instant(rs, "expires_at")), (Object) stateHash);
        if (row.isEmpty() || binding == null || !Digests.equal(row.get().binding(), ids.hash(binding))
                || !clock.instant().isBefore(row.get().expiresAt())) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(key.open(row.get().sealed(), context(stateHash)));
            return Optional.of(new Flow(n.get("nonce").asText(), n.get("verifier").asText(), n.get("return_to").asText()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Deletes flows that were never completed; returns how many. */
    public int deleteExpired() {
        return jdbc.update("DELETE FROM gateway_login_flows WHERE expires_at < ?", Jdbc.micros(clock.instant()));
    }

    /** RFC 7636 §4.2: S256. */
    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String context(byte[] stateHash) {
        return "gateway-flow:" + HexFormat.of().formatHex(stateHash);
    }
}
