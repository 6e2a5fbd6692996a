package dev.latchkey.core.org;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for organizations and memberships. Changing or removing a membership bumps the
 * user's security version (and so ends the user's sessions) in the same transaction: tokens never
 * carry roles the user no longer has.
 */
public interface OrgStore {
    void create(Organization org);

    Optional<Organization> find(UUID id);

    List<Organization> list();

    boolean delete(UUID id, Instant now);

    /** Sets the user's roles in the organization (adding the membership if needed). */
    void setMembership(UUID orgId, UUID userId, List<String> roles, Instant now);

    boolean removeMembership(UUID orgId, UUID userId, Instant now);

    List<Membership> members(UUID orgId);

    /** The membership that goes into the user's tokens: the oldest one. */
    Optional<Membership> primary(UUID userId);
}
