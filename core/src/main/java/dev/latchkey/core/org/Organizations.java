package dev.latchkey.core.org;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Creating and changing organizations: name, {@link OrgSlug slug} (generated from the name when not given)
 * and {@link OrgCustomClaims custom claims}; deleting one. Each change is audited for the organization.
 */
public final class Organizations {
    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;

    public Organizations(OrgStore orgs, AuditSink audit, Clock clock) {
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates an organization. Without a slug it gets one from its name ({@code Acme Corp} → {@code acme-corp}),
     * or, when that one is taken, the name's with a part of its id ({@code acme-corp-3f9a1c0d2b4e}). A slug
     * given and taken: {@link ErrorCode#SLUG_TAKEN}.
     */
    public Organization create(String name, String slug, OrgCustomClaims claims, RequestContext ctx) {
        String n = name(name);
        UUID id = UuidV7.next(clock);
        Organization o;
        if (slug != null) {
            o = new Organization(id, n, OrgSlug.require(slug), claims, clock.instant());
            orgs.create(o);
        } else {
            o = new Organization(id, n, OrgSlug.fromName(n), claims, clock.instant());
            try {
                orgs.create(o);
            } catch (LatchkeyException e) {
                if (e.code() != ErrorCode.SLUG_TAKEN) {
                    throw e;
                }
                o = new Organization(id, n, OrgSlug.withIdSuffix(OrgSlug.fromName(n), id), claims, o.createdAt());
                orgs.create(o);
            }
        }
        audit.record(AuditEvent.of(AuditType.ORGANIZATION_CREATED, o.createdAt(), ctx).subject(o.id().toString()).org(o.id())
                .detail("slug " + o.slug()).build());
        return o;
    }

    /** Changes what is not null; {@link ErrorCode#NOT_FOUND} for an unknown organization. */
    public Organization update(UUID id, String name, String slug, OrgCustomClaims claims, RequestContext ctx) {
        Organization o = orgs.update(id, name == null ? null : name(name), slug == null ? null : OrgSlug.require(slug), claims)
                .orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "update unknown org " + id));
        StringBuilder what = new StringBuilder();
        if (name != null) {
            what.append("name ");
        }
        if (slug != null) {
            what.append("slug ").append(o.slug()).append(' ');
        }
        if (claims != null) {
            what.append("claims ").append(String.join(",", o.claims().values().keySet()));
        }
        audit.record(AuditEvent.of(AuditType.ORGANIZATION_UPDATED, clock.instant(), ctx).subject(id.toString()).org(id)
                .detail(what.toString().strip()).build());
        return o;
    }

    /**
     * Deletes an organization with its memberships (ending its members' sessions, {@link OrgStore#delete});
     * {@link ErrorCode#NOT_FOUND} for an unknown one.
     */
    public void delete(UUID id, RequestContext ctx) {
        if (!orgs.delete(id, clock.instant())) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "delete unknown org " + id);
        }
        audit.record(AuditEvent.of(AuditType.ORGANIZATION_DELETED, clock.instant(), ctx).subject(id.toString()).org(id).build());
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "name: required.", "no org name");
        }
        String n = name.strip();
        if (n.length() > 200) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "name: at most 200 characters.", "long org name");
        }
        return n;
    }
}
