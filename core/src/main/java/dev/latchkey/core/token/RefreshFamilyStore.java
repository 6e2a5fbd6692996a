package dev.latchkey.core.token;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Storage port for refresh-token families. */
public interface RefreshFamilyStore {
    /** Stores a new family whose current token has {@code tokenHash}. */
    void create(RefreshFamily family, byte[] tokenHash);

    /**
     * Rotates the family in one conditional update: succeeds only when the presented token is the
     * current one, the family and its session are alive, the user is enabled and still on the
     * family's security version, and {@code clientId} matches; the update records the rotation's
     * instant among the family's recent ones (see {@link RotationHistory}). Otherwise classifies the
     * presentation by {@link RotationHistory#judge}: the token replaced by the current one less than
     * {@code grace} ago is a grace replay (the caller answers with {@code presented.successor()}); an
     * older one replaced less than {@code grace} ago is stale (refused, nothing revoked); one replaced
     * longer ago revokes the family and its session (reuse).
     */
    Rotation rotate(UUID familyId, String clientId, RefreshTokens.Lineage presented, Instant now, Duration grace, Duration idle);

    /** The subject of a family whose current token has {@code hash} and which is alive (for introspection). */
    java.util.Optional<TokenSubject> findActive(UUID familyId, byte[] hash, Instant now);

    /**
     * Makes {@code orgId} the family's chosen organization (its tokens' {@code org}), in one update
     * that succeeds only while the family is alive and its user a member of that organization.
     */
    boolean chooseOrganization(UUID familyId, UUID orgId);

    /**
     * Revokes the family of {@code presented} (and, when {@code withSession}, its session) in one
     * conditional update, only when {@code clientId} owns it and the presented token is the current
     * one or one of its at most {@link RotationHistory#DEPTH} predecessors: its secret, not merely
     * the family id it carries, must match (RFC 7009 §2.1: the server revokes the token presented).
     * False when nothing matched (unknown, forged, foreign or already revoked).
     */
    boolean revoke(UUID familyId, String clientId, RefreshTokens.Lineage presented, boolean withSession, String reason, Instant now);
}
