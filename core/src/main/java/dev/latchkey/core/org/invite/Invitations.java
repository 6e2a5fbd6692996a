package dev.latchkey.core.org.invite;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.Organization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Inviting an e-mail address into an organization with roles. The mailed token is 256 random bits; only its
 * SHA-256 is stored. Accepting is the store's one conditional statement (at most once, by the invited address).
 * Every change is audited with the organization as subject.
 */
public final class Invitations {

    private final InvitationStore store;
    private final OrgStore orgs;
    private final UserStore users;
    private final Mailer mailer;
    private final AuditSink audit;
    private final Clock clock;
    private final Duration lifetime;

    public Invitations(InvitationStore store, OrgStore orgs, UserStore users, Mailer mailer, AuditSink audit, Clock clock, Duration lifetime) {
        this.store = Objects.requireNonNull(store, "store");
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.users = Objects.requireNonNull(users, "users");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    }

    /**
     * Creates a pending invitation and mails its link to the address; the token leaves only in that mail. The
     * invitation and its mail are stored in one transaction: a failure to queue the mail leaves no invitation.
     */
    public Invitation create(UUID orgId, String rawEmail, List<String> roles, RequestContext ctx) {
        Organization org = org(orgId);
        EmailAddress email = EmailAddress.parse(rawEmail);
        List<String> r = dev.latchkey.core.org.Memberships.roles(roles);
        if (!mailer.available()) {
            throw LatchkeyException.of(ErrorCode.MAIL_UNAVAILABLE, "invitation without mail transport");
        }
        users.findByEmail(email).ifPresent(u -> {
            if (orgs.membership(orgId, u.id()).isPresent()) {
                throw LatchkeyException.withMessage(ErrorCode.ALREADY_MEMBER,
                        "The account with this e-mail address is already a member of the organization.", "invite of a member");
            }
        });
        String token = RandomTokens.token();
        Instant now = clock.instant();
        Invitation inv = new Invitation(dev.latchkey.core.id.UuidV7.next(clock), orgId, email.value(), r, hash(token), Invitation.Status.PENDING, now,
                now.plus(lifetime), null, null);
        if (!store.create(inv, mailer.compose(email, null, new MailMessage.Invitation(token, org.name(), lifetime)))) {
            throw LatchkeyException.of(ErrorCode.INVITATION_PENDING, "pending invitation exists");
        }
        mailer.queued();
        audit.record(AuditEvent.of(AuditType.INVITATION_CREATED, now, ctx).subject(orgId.toString()).org(orgId)
                .detail("invitation " + inv.id() + " roles " + String.join(",", r)).build());
        return inv;
    }

    public List<Invitation> list(UUID orgId, UUID after, int limit) {
        org(orgId);
        return store.list(orgId, after, limit);
    }

    public Invitation get(UUID orgId, UUID id) {
        org(orgId);
        return store.find(orgId, id).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such invitation.", "unknown invitation"));
    }

    /** Revokes a pending invitation: its link stops working. Accepted, revoked or expired ones are refused (409). */
    public void revoke(UUID orgId, UUID id, RequestContext ctx) {
        Invitation inv = get(orgId, id);
        Instant now = clock.instant();
        if (!store.revoke(orgId, id, now)) {
            throw LatchkeyException.withMessage(ErrorCode.INVITATION_NOT_PENDING, "Only a pending invitation can be revoked; this one is "
                    + store.find(orgId, id).orElse(inv).statusAt(now).wire() + ".", "revoke of a non-pending invitation");
        }
        audit.record(AuditEvent.of(AuditType.INVITATION_REVOKED, now, ctx).subject(orgId.toString()).org(orgId).detail("invitation " + id).build());
    }

    /** Accepts for the signed-in user, whose e-mail address must be the invited one; returns the invitation taken. */
    public Invitation accept(String token, UUID userId, EmailAddress email, RequestContext ctx) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw LatchkeyException.of(ErrorCode.INVITATION_INVALID, "missing or oversized invitation token");
        }
        Instant now = clock.instant();
        InvitationStore.Acceptance a = store.accept(hash(token.strip()), userId, email.value(), now);
        return switch (a) {
            case InvitationStore.Acceptance.Accepted ok -> {
                audit.record(AuditEvent.of(AuditType.INVITATION_ACCEPTED, now, ctx).user(userId).subject(ok.invitation().orgId().toString()).org(ok.invitation().orgId())
                        .detail("invitation " + ok.invitation().id() + " roles " + String.join(",", ok.invitation().roles())).build());
                yield ok.invitation();
            }
            case InvitationStore.Acceptance.Refused no -> throw switch (no.reason()) {
                case NOT_FOUND -> LatchkeyException.of(ErrorCode.INVITATION_INVALID, "unknown invitation token");
                case USED -> LatchkeyException.of(ErrorCode.INVITATION_USED, "invitation already accepted");
                case REVOKED -> LatchkeyException.of(ErrorCode.INVITATION_REVOKED, "invitation revoked");
                case EXPIRED -> LatchkeyException.of(ErrorCode.INVITATION_EXPIRED, "invitation expired");
                case WRONG_EMAIL -> LatchkeyException.of(ErrorCode.INVITATION_WRONG_EMAIL, "invitation for another address");
                case ALREADY_MEMBER -> LatchkeyException.withMessage(ErrorCode.ALREADY_MEMBER,
                        "You are already a member of this organization.", "accept by a member");
            };
        };
    }

    /** What a pending invitation offers, for the page that asks to accept it. */
    public record Offer(Invitation invitation, String organization) {
    }

    /** The pending invitation of this token; refused like {@link #accept} when it is unknown, used, revoked or expired. */
    public Offer offer(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw LatchkeyException.of(ErrorCode.INVITATION_INVALID, "missing or oversized invitation token");
        }
        Invitation inv = store.findByHash(hash(token.strip()))
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.INVITATION_INVALID, "unknown invitation token"));
        switch (inv.statusAt(clock.instant())) {
            case ACCEPTED -> throw LatchkeyException.of(ErrorCode.INVITATION_USED, "invitation already accepted");
            case REVOKED -> throw LatchkeyException.of(ErrorCode.INVITATION_REVOKED, "invitation revoked");
            case EXPIRED -> throw LatchkeyException.of(ErrorCode.INVITATION_EXPIRED, "invitation expired");
            case PENDING -> {
            }
        }
        return new Offer(inv, org(inv.orgId()).name());
    }

    private Organization org(UUID orgId) {
        return orgs.find(orgId).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org"));
    }

    static byte[] hash(String token) {
        return Digests.sha256(token);
    }
}
