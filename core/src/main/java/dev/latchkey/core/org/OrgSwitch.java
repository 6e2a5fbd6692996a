package dev.latchkey.core.org;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.core.session.TokenGrant;
import dev.latchkey.core.token.RefreshFamilyStore;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.token.TokenSubject;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Switching a grant's chosen organization without signing in again: the presented refresh token is
 * rotated as by any refresh, and its family (so every later refresh) names the new organization. The
 * membership is checked before the rotation, so a refusal ({@link ErrorCode#NOT_A_MEMBER}) leaves the
 * presented token valid; the family's update repeats the check in the same statement.
 */
public final class OrgSwitch {
    private final SessionService sessions;
    private final RefreshFamilyStore families;
    private final RefreshTokens refreshTokens;
    private final OrgStore orgs;
    private final Clock clock;

    public OrgSwitch(SessionService sessions, RefreshFamilyStore families, RefreshTokens refreshTokens, OrgStore orgs, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.families = Objects.requireNonNull(families, "families");
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Parses an organization id as clients send it; a specific refusal when it is none. */
    public static UUID parseOrg(String org) {
        if (org == null || org.isBlank()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Name the organization (its id).", "no organization");
        }
        try {
            return UUID.fromString(org.strip());
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_A_MEMBER, ErrorCode.NOT_A_MEMBER.description(), "malformed org id");
        }
    }

    /** Rotates {@code presented} (of {@code clientId}, null: first party) into a grant for {@code orgId}. */
    public TokenGrant switchTo(String presented, String clientId, UUID orgId, RequestContext ctx) {
        Objects.requireNonNull(orgId, "orgId");
        Optional<TokenSubject> current = refreshTokens.parse(presented == null ? "" : presented)
                .flatMap(t -> families.findActive(t.familyId(), t.hash(), clock.instant()));
        if (current.isPresent() && orgs.membership(orgId, current.get().userId()).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_A_MEMBER, ErrorCode.NOT_A_MEMBER.description(),
                    "user " + current.get().userId() + " is not in org " + orgId);
        }
        // an unknown, stale or revoked token: refresh refuses it with the specific code
        TokenGrant grant = sessions.refresh(presented, clientId, ctx);
        if (!families.chooseOrganization(grant.subject().familyId(), orgId)) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_A_MEMBER, ErrorCode.NOT_A_MEMBER.description(),
                    "membership in " + orgId + " ended during the switch");
        }
        return new TokenGrant(grant.subject().withOrg(orgId), grant.refreshToken(), grant.refreshExpiresAt());
    }
}
