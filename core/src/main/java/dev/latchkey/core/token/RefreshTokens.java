package dev.latchkey.core.token;

import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.crypto.RandomTokens;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque refresh tokens: base64url of the family id (16 bytes) and 256 secret bits. The first
 * secret of a family is random; each successor's secret is HMAC(successor key, family id, parent
 * secret), so the server can hand out the very same successor again during the grace window
 * without ever storing a token — only SHA-256 hashes are stored.
 */
public final class RefreshTokens {
    private static final int ID = 16;
    private static final int SECRET = 32;
    private static final int ENCODED_LENGTH = 64;
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final Hmac successorKey;

    /** @param successorKey at least 32 bytes derived from the master key; the same on every node */
    public RefreshTokens(byte[] successorKey) {
        this.successorKey = new Hmac(successorKey);
    }

    /** A token as presented or minted: its family, its text and the hash the store knows it by. */
    public record Token(UUID familyId, String value, byte[] hash) {
        @Override
        public String toString() {
            return "RefreshToken[family=" + familyId + "]";
        }
    }

    /** The first token of a new family. */
    public Token first(UUID familyId) {
        return encode(familyId, RandomTokens.bytes(SECRET));
    }

    /** The deterministic successor of {@code parent}. */
    public Token successor(Token parent) {
        byte[] raw = DEC.decode(parent.value());
        byte[] secret = Arrays.copyOfRange(raw, ID, ID + SECRET);
        byte[] next = successorKey.sign(Arrays.copyOf(raw, ID), secret);
        return encode(parent.familyId(), next);
    }

    /** The tokens that descend from {@code presented}, derived on demand (see {@link Lineage}). */
    public Lineage lineage(Token presented) {
        return new Lineage(this, presented);
    }

    /**
     * A presented token and its descendants: {@code token(1)} is its successor, {@code token(k)}
     * the token {@code k} rotations later. Because each successor is derived from its parent, the
     * store can tell how many generations behind the current token a presented one is by walking
     * this chain forward, without ever having stored the older tokens. Derived lazily and
     * remembered; one per request (not thread-safe).
     */
    public static final class Lineage {
        private final RefreshTokens tokens;
        private final Token[] chain = new Token[RotationHistory.DEPTH + 1];

        private Lineage(RefreshTokens tokens, Token presented) {
            this.tokens = tokens;
            this.chain[0] = java.util.Objects.requireNonNull(presented, "presented");
        }

        public Token presented() {
            return chain[0];
        }

        public Token successor() {
            return token(1);
        }

        /** The token {@code generations} rotations after the presented one (0: the presented one). */
        public Token token(int generations) {
            if (generations < 0 || generations > RotationHistory.DEPTH) {
                throw new IllegalArgumentException("a lineage reaches 0 to " + RotationHistory.DEPTH + " generations ahead");
            }
            for (int k = 1; k <= generations; k++) {
                if (chain[k] == null) {
                    chain[k] = tokens.successor(chain[k - 1]);
                }
            }
            return chain[generations];
        }

        public byte[] hash(int generations) {
            return token(generations).hash();
        }

        @Override
        public String toString() {
            return "Lineage[family=" + chain[0].familyId() + "]";
        }
    }

    /** Parses a presented token; empty when it cannot be one of ours. */
    public Optional<Token> parse(String presented) {
        if (presented == null || presented.length() != ENCODED_LENGTH) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = DEC.decode(presented);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != ID + SECRET) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        UUID family = new UUID(b.getLong(), b.getLong());
        return Optional.of(new Token(family, presented, Digests.sha256(presented)));
    }

    private static Token encode(UUID family, byte[] secret) {
        byte[] raw = ByteBuffer.allocate(ID + SECRET)
                .putLong(family.getMostSignificantBits())
                .putLong(family.getLeastSignificantBits())
                .put(secret, 0, SECRET)
                .array();
        String value = ENC.encodeToString(raw);
        return new Token(family, value, Digests.sha256(value));
    }
}
