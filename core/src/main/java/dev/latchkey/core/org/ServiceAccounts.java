package dev.latchkey.core.org;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.token.TokenPrincipal;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Managing an organization's service accounts, and the one place that turns an account into a token
 * principal ({@link #principal}): its current roles and their permissions in its organization, refused
 * while it is disabled. Each change is audited with the organization as subject.
 */
public final class ServiceAccounts {
    public static final int MAX_PAGE = 200;
    private final ServiceAccountStore accounts;
    private final RoleStore roles;
    private final dev.latchkey.core.oauth.ClientRegistry clients;
    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;

    /** @param clients where the clients an account owns are deleted with it (so that client caches drop them) */
    public ServiceAccounts(ServiceAccountStore accounts, RoleStore roles, OrgStore orgs, dev.latchkey.core.oauth.ClientRegistry clients,
                           AuditSink audit, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.roles = Objects.requireNonNull(roles, "roles");
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ServiceAccount create(UUID orgId, String name, String description, List<String> roleNames, RequestContext ctx) {
        requireOrg(orgId);
        ServiceAccount sa = new ServiceAccount(UuidV7.next(), orgId, name, description, roleNames, null, clock.instant());
        accounts.create(sa);
        audit.record(AuditEvent.of(AuditType.SERVICE_ACCOUNT_CREATED, sa.createdAt(), ctx).subject(orgId.toString()).org(orgId)
                .detail(sa.subject() + " " + sa.name() + " roles=" + String.join(" ", sa.roles())).build());
        return sa;
    }

    public ServiceAccount get(UUID orgId, UUID id) {
        requireOrg(orgId);
        return accounts.find(orgId, id).orElseThrow(ServiceAccounts::notFound);
    }

    public List<ServiceAccount> list(UUID orgId, UUID after, int limit) {
        requireOrg(orgId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "limit is 1-" + MAX_PAGE + ".", "bad limit " + limit);
        }
        return accounts.list(orgId, after, limit);
    }

    /** Changes name, description, roles and/or the disabled state (null: unchanged). */
    public ServiceAccount update(UUID orgId, UUID id, String name, String description, List<String> roleNames, Boolean disabled,
                                 RequestContext ctx) {
        requireOrg(orgId);
        ServiceAccount current = accounts.find(orgId, id).orElseThrow(ServiceAccounts::notFound);
        // validates the new values with the record's rules before anything is written
        new ServiceAccount(id, orgId, name == null ? current.name() : name, description == null ? current.description() : description,
                roleNames == null ? current.roles() : roleNames, current.disabledAt(), current.createdAt());
        ServiceAccount sa = accounts.update(orgId, id, name, description, roleNames, disabled, clock.instant())
                .orElseThrow(ServiceAccounts::notFound);
        audit.record(AuditEvent.of(AuditType.SERVICE_ACCOUNT_UPDATED, clock.instant(), ctx).subject(orgId.toString()).org(orgId)
                .detail(sa.subject() + (roleNames == null ? "" : " roles=" + String.join(" ", sa.roles()))
                        + (disabled == null ? "" : disabled ? " disabled" : " enabled")).build());
        return sa;
    }

    public void delete(UUID orgId, UUID id, RequestContext ctx) {
        requireOrg(orgId);
        List<String> owned = accounts.clients(orgId, id);
        if (!accounts.delete(orgId, id, clock.instant())) {
            throw notFound();
        }
        // the store deleted them with the account (a client bound meanwhile too); this drops them from client caches
        owned.forEach(clients::delete);
        audit.record(AuditEvent.of(AuditType.SERVICE_ACCOUNT_DELETED, clock.instant(), ctx).subject(orgId.toString()).org(orgId)
                .detail(TokenPrincipal.ServiceAccount.PREFIX + id).build());
    }

    /**
     * The principal of a token minted now for the account: its organization, current roles and their
     * permissions. Refused ({@code FORBIDDEN}) while the account is disabled, {@code NOT_FOUND} when it is gone.
     */
    public TokenPrincipal.ServiceAccount principal(UUID id) {
        ServiceAccount sa = accounts.find(id).orElseThrow(ServiceAccounts::notFound);
        if (sa.disabled()) {
            throw LatchkeyException.withMessage(ErrorCode.FORBIDDEN, "This service account is disabled.", "disabled " + sa.subject());
        }
        return principalOf(sa);
    }

    private TokenPrincipal.ServiceAccount principalOf(ServiceAccount sa) {
        return new TokenPrincipal.ServiceAccount(sa.id(), sa.orgId().toString(), sa.roles(), roles.permissions(sa.orgId(), sa.roles()));
    }

    /**
     * The principal of a {@code client_credentials} token for {@code clientId}: its service account's
     * when a service account owns the client (refused with {@code unauthorized_client} while the account
     * is disabled), empty for a client acting for itself.
     */
    public java.util.Optional<TokenPrincipal> principalForClient(String clientId) {
        return accounts.ownerOf(clientId).map(sa -> {
            if (sa.disabled()) {
                throw LatchkeyException.withMessage(ErrorCode.UNAUTHORIZED_CLIENT, "The service account of this client is disabled.",
                        "client_credentials for disabled " + sa.subject());
            }
            return (TokenPrincipal) principalOf(sa);
        });
    }

    /** The ids of the clients the account owns. */
    public List<String> clients(UUID orgId, UUID id) {
        get(orgId, id);
        return accounts.clients(orgId, id);
    }

    private void requireOrg(UUID orgId) {
        if (orgId == null || orgs.find(orgId).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org " + orgId);
        }
    }

    private static LatchkeyException notFound() {
        return LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such service account.", "unknown service account");
    }
}
