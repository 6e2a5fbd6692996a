package dev.latchkey.core.org;

import dev.latchkey.core.token.TokenPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that decides which {@code org}, {@code roles} and {@code permissions} a user's token
 * carries: those of the user's <em>current</em> membership in the organization the grant chose,
 * read when the token is minted (two queries, whatever the number of the user's organizations), with the
 * organization's custom claims ({@code org_claims}). So a
 * role change shows in the next token (a refresh) without signing anyone out, and a user no longer in
 * the organization gets a token without it.
 */
public final class OrgClaims {
    private final OrgStore orgs;
    private final RoleStore roles;

    public OrgClaims(OrgStore orgs, RoleStore roles) {
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.roles = Objects.requireNonNull(roles, "roles");
    }

    /** The user's access in {@code orgId}; empty when not a member (or no organization was chosen). */
    public Optional<OrgAccess> of(UUID userId, UUID orgId) {
        if (orgId == null) {
            return Optional.empty();
        }
        return orgs.memberOf(orgId, userId).map(m -> new OrgAccess(orgId, m.roles().stream().sorted().toList(),
                roles.permissions(orgId, m.roles()), m.org().claims()));
    }

    /**
     * {@code user} with the claims of its current membership in the organization it names; a grant that
     * names none (the user had no membership when it began) gets the user's oldest membership, as a
     * sign-in without a choice does.
     */
    public TokenPrincipal.User current(TokenPrincipal.User user) {
        UUID org = parse(user.org());
        if (org == null) {
            org = orgs.primary(user.userId()).map(Membership::orgId).orElse(null);
        }
        return of(user.userId(), org)
                .map(a -> user.withAccess(a.orgId().toString(), a.roles(), a.permissions(), a.claims()))
                .orElseGet(() -> user.withAccess(null, List.of(), List.of()));
    }

    private static UUID parse(String org) {
        if (org == null) {
            return null;
        }
        try {
            return UUID.fromString(org);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
