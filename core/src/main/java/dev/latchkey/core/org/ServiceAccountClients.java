package dev.latchkey.core.org;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.ClientRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates the OAuth clients a service account owns: confidential ({@code client_secret_basic}), grant
 * {@code client_credentials} only, a generated id; the secret is returned once. Their tokens are the
 * account's (RFC 6749 §4.4 with the account as {@code sub}; see {@link ServiceAccounts#principalForClient}).
 */
public final class ServiceAccountClients {
    private final ServiceAccounts accounts;
    private final ServiceAccountStore store;
    private final ClientRegistry clients;
    private final AuditSink audit;
    private final Clock clock;

    public ServiceAccountClients(ServiceAccounts accounts, ServiceAccountStore store, ClientRegistry clients, AuditSink audit, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.store = Objects.requireNonNull(store, "store");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code audiences}: the resource servers its tokens may name (empty: the issuer). */
    public ClientRegistry.Registered create(UUID orgId, UUID accountId, String name, List<String> audiences, RequestContext ctx) {
        ServiceAccount sa = accounts.get(orgId, accountId);
        if (sa.disabled()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "This service account is disabled.", "client for disabled " + sa.subject());
        }
        ClientRegistry.Registered r = clients.register(new ClientRegistration(null, name == null || name.isBlank() ? sa.name() : name,
                "client_secret_basic", List.of(), List.of(), List.of("client_credentials"), null,
                audiences == null ? List.of() : audiences, false, false, null, null));
        if (!store.bindClient(orgId, accountId, r.client().clientId())) {
            // disabled or deleted meanwhile: the client must not outlive the check
            clients.delete(r.client().clientId());
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "This service account was disabled or deleted.", "bind lost " + sa.subject());
        }
        audit.record(AuditEvent.of(AuditType.SERVICE_ACCOUNT_UPDATED, clock.instant(), ctx).subject(orgId.toString()).org(orgId)
                .detail(sa.subject() + " client+" + r.client().clientId()).build());
        return r;
    }
}
