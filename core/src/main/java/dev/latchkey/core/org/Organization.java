package dev.latchkey.core.org;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An organization users belong to, with roles in it: its unique {@link OrgSlug slug} and the custom claims its
 * members' tokens carry ({@link OrgCustomClaims}).
 */
public record Organization(UUID id, String name, String slug, OrgCustomClaims claims, Instant createdAt) {
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        OrgSlug.require(slug);
        claims = claims == null ? OrgCustomClaims.NONE : claims;
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** An organization without custom claims, whose slug is made from its name and the random end of its id (so never taken). */
    public Organization(UUID id, String name, Instant createdAt) {
        this(id, name, OrgSlug.withIdSuffix(OrgSlug.fromName(name), id), OrgCustomClaims.NONE, createdAt);
    }
}
