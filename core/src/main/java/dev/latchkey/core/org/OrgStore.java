package dev.latchkey.core.org;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for organizations and memberships. Changing a member's roles signs nobody out: it
 * appends a {@code roles_changed} entry to the revocation log in the same transaction (downstream
 * caches drop tokens with roles the member no longer has) and the next token carries the new roles
 * ({@link OrgClaims}). Removing a membership bumps the user's security version (ending the user's
 * sessions) in the same transaction, so the organization's access ends at once.
 */
public interface OrgStore {
    /** Stores a new organization; {@link dev.latchkey.core.error.ErrorCode#SLUG_TAKEN} when its slug is another's. */
    void create(Organization org);

    Optional<Organization> find(UUID id);

    /** The organization with this slug. */
    Optional<Organization> findBySlug(String slug);

    /**
     * Changes what is not null of name, slug and custom claims, in one statement; empty for an unknown
     * organization; {@link dev.latchkey.core.error.ErrorCode#SLUG_TAKEN} when the slug is another's.
     */
    Optional<Organization> update(UUID id, String name, String slug, OrgCustomClaims claims);

    /**
     * The organization named by {@code idOrSlug} (its id, or its slug) when {@code userId} is a member of it
     * (one query); empty when it does not exist or the user is not a member.
     */
    Optional<Organization> memberOrganization(UUID userId, String idOrSlug);

    List<Organization> list();

    /** One page of the organizations, by id, those after {@code after} (null: from the first). */
    List<Organization> list(UUID after, int limit);

    /**
     * Deletes the organization with its memberships, service accounts and their API keys, in one transaction that
     * bumps each member's security version and announces each service account as disabled on the revocation feed.
     */
    boolean delete(UUID id, Instant now);

    /** Sets the user's roles in the organization (adding the membership if needed). */
    void setMembership(UUID orgId, UUID userId, List<String> roles, Instant now);

    boolean removeMembership(UUID orgId, UUID userId, Instant now);

    /**
     * Sets the roles of an <em>existing</em> member only (one conditional update; never adds a membership):
     * false when the user is not a member.
     */
    boolean changeRoles(UUID orgId, UUID userId, List<String> roles, Instant now);

    List<Membership> members(UUID orgId);

    /** One page of the organization's members, by user id, those after {@code after} (null: from the first). */
    List<Membership> members(UUID orgId, UUID after, int limit);

    /** The organizations the user belongs to, with the user's roles in each, oldest membership first (one query). */
    List<MemberOf> organizationsOf(UUID userId);

    /** An organization a user belongs to, and the user's roles there. */
    record MemberOf(Organization org, List<String> roles) {
    }

    /** The user's membership in the organization with the organization itself (one query), if any. */
    Optional<MemberOf> memberOf(UUID orgId, UUID userId);

    /** The user's membership in the organization, if any. */
    Optional<Membership> membership(UUID orgId, UUID userId);

    /** The membership that goes into the user's tokens: the oldest one. */
    Optional<Membership> primary(UUID userId);
}
