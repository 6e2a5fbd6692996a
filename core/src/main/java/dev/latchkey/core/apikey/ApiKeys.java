package dev.latchkey.core.apikey;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.Permission;
import dev.latchkey.core.token.TokenPrincipal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: made (shown once), listed, revoked, and authenticated when presented. The secret is stored as
 * HMAC-SHA256 under a server key derived from the master key ({@code api-keys}), over the whole key text, so
 * a changed environment, id or secret all fail the same comparison (constant time). A presented key is
 * looked up by its public id; an unknown id, a wrong secret, a revoked or expired key give one and the same
 * refusal (no enumeration); only the log says which, naming the public id, never the key.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    /** How often {@code last_used_at} is written at most. */
    public static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    /** What a client sees for every refused key. */
    public static final String REFUSED = "The API key is invalid, expired or revoked.";

    /** {@code env}: the environment new keys carry and presented keys must carry; {@code maxLifetime}: null for none. */
    public record Policy(String env, Duration maxLifetime) {
        public Policy {
            if (!PresentedApiKey.validEnv(env)) {
                throw new IllegalArgumentException("api key env must be 1-16 lower-case letters");
            }
        }
    }

    /** What a new key asks for; {@code permissions} null: all of the owner's in the organization. */
    public record NewKey(ApiKeyOwner owner, String name, String scope, List<String> permissions, UUID orgId, Duration expiresIn) {
    }

    /** A new key and its text, to show once. */
    public record Created(ApiKey key, String text) {
        @Override
        public String toString() {
            return "Created[" + key.publicId() + "]";
        }
    }

    private final ApiKeyStore store;
    private final Hmac mac;
    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;
    private final Policy policy;
    private final byte[] dummyMac;
    private final dev.latchkey.core.org.ServiceAccounts serviceAccounts;

    public ApiKeys(ApiKeyStore store, byte[] macKey, OrgStore orgs, AuditSink audit, Clock clock, Policy policy) {
        this(store, macKey, orgs, audit, clock, policy, null);
    }

    /** @param serviceAccounts where a service account's key checks the account's organization (null: users' keys only) */
    public ApiKeys(ApiKeyStore store, byte[] macKey, OrgStore orgs, AuditSink audit, Clock clock, Policy policy,
                   dev.latchkey.core.org.ServiceAccounts serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
        this.store = Objects.requireNonNull(store, "store");
        this.mac = new Hmac(Objects.requireNonNull(macKey, "macKey"));
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.dummyMac = mac.sign("latchkey/api-key/none");
    }

    public Policy policy() {
        return policy;
    }

    public Created create(NewKey k, RequestContext ctx) {
        Objects.requireNonNull(k.owner(), "owner");
        String name = k.name() == null ? "" : k.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw invalid("\"name\" is required: 1 to 100 characters.", "bad name");
        }
        Set<String> scopes = Scopes.parse(k.scope());
        if (scopes == null) {
            throw invalid("\"scope\" must be space-separated OAuth scopes.", "bad scope");
        }
        if (scopes.contains(Scopes.OPENID) || scopes.contains(Scopes.OFFLINE_ACCESS)) {
            throw invalid("An API key cannot carry openid or offline_access: its exchange gives an access token only.", "oidc scope");
        }
        List<String> permissions = k.permissions() == null ? null : Permission.normalize(k.permissions());
        if (k.owner() instanceof ApiKeyOwner.ServiceAccount sa) {
            if (k.orgId() == null) {
                throw invalid("A service account's key belongs to the account's organization: name it.", "sa key without org");
            }
            if (serviceAccounts == null) {
                throw new IllegalStateException("service-account API keys need ServiceAccounts");
            }
            // NOT_FOUND unless the account is in that organization: a key never crosses organizations
            serviceAccounts.get(k.orgId(), sa.accountId());
        }
        if (permissions != null && k.orgId() == null) {
            throw invalid("Permissions belong to an organization: name the key's organization too.", "permissions without org");
        }
        if (k.orgId() != null && k.owner() instanceof ApiKeyOwner.User u && orgs.membership(k.orgId(), u.userId()).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_A_MEMBER, "The key's owner is not a member of this organization.",
                    "api key for org without membership");
        }
        Instant now = clock.instant();
        Duration lifetime = k.expiresIn() != null ? k.expiresIn() : policy.maxLifetime();
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw invalid("\"expires_in\" must be positive.", "bad expiry");
        }
        if (lifetime != null && policy.maxLifetime() != null && lifetime.compareTo(policy.maxLifetime()) > 0) {
            throw invalid("\"expires_in\" may be at most " + policy.maxLifetime().toDays() + " days on this server.", "expiry beyond max");
        }
        PresentedApiKey text = PresentedApiKey.generate(policy.env());
        ApiKey key = new ApiKey(UuidV7.next(clock), text.publicId(), text.env(), k.owner(), name, List.copyOf(scopes), permissions, k.orgId(),
                lifetime == null ? null : now.plus(lifetime), now, null, null);
        store.insert(key, macOf(text));
        AuditEvent.Builder created = AuditEvent.of(AuditType.API_KEY_CREATED, now, ctx).user(userOf(k.owner())).subject(key.publicId())
                .detail("name=" + name + (k.orgId() == null ? "" : " org=" + k.orgId())
                        + (k.owner() instanceof ApiKeyOwner.ServiceAccount sa ? " owner=" + TokenPrincipal.ServiceAccount.PREFIX + sa.accountId() : ""));
        if (k.owner() instanceof ApiKeyOwner.ServiceAccount) {
            created.org(k.orgId());
        }
        audit.record(created.build());
        LOG.info("API key {} created for {} {}", key.publicId(), k.owner().kind(), k.owner().id());
        return new Created(key, text.text());
    }

    public List<ApiKey> list(ApiKeyOwner owner) {
        return store.list(owner);
    }

    /** Revokes the owner's key; 404 when the owner has no such key or it is revoked already. */
    public ApiKey revoke(ApiKeyOwner owner, UUID id, RequestContext ctx) {
        Instant now = clock.instant();
        ApiKey k = store.revoke(owner, id, now).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND,
                "No such active API key.", "revoke unknown or revoked api key " + id));
        AuditEvent.Builder revoked = AuditEvent.of(AuditType.API_KEY_REVOKED, now, ctx).user(userOf(owner)).subject(k.publicId());
        if (owner instanceof ApiKeyOwner.ServiceAccount && k.orgId() != null) {
            revoked.org(k.orgId());
        }
        audit.record(revoked.build());
        LOG.info("API key {} revoked", k.publicId());
        return k;
    }

    /**
     * The key a presented text stands for, if it is well-formed, for this server's environment, known, its
     * secret right, and neither revoked nor expired; records the use (at most once a minute). Every refusal is
     * the same {@link ErrorCode#INVALID_GRANT} with {@link #REFUSED}.
     */
    public ApiKey authenticate(String presented) {
        Optional<PresentedApiKey> parsed = PresentedApiKey.parse(presented);
        if (parsed.isEmpty()) {
            throw refused("malformed api key");
        }
        PresentedApiKey p = parsed.get();
        Optional<ApiKeyStore.Stored> found = store.findByPublicId(p.publicId());
        byte[] presentedMac = macOf(p);
        boolean match = Digests.equal(presentedMac, found.map(ApiKeyStore.Stored::secretMac).orElse(dummyMac));
        if (found.isEmpty()) {
            throw refused("unknown api key id " + p.publicId());
        }
        if (!match) {
            throw refused("api key " + p.publicId() + ": wrong secret, environment or id");
        }
        ApiKey key = found.get().key();
        if (!p.env().equals(policy.env())) {
            throw refused("api key " + p.publicId() + " is for environment " + p.env() + ", this server is " + policy.env());
        }
        Instant now = clock.instant();
        if (!key.usableAt(now)) {
            throw refused("api key " + p.publicId() + " is " + key.state(now));
        }
        store.touch(key.id(), now, now.minus(LAST_USED_RESOLUTION));
        return key;
    }

    /**
     * The key whose exchanged tokens carry {@code sid} = {@code id}, while neither revoked nor expired: what
     * introspection asks of such a token (the key, not a session, is what keeps it alive).
     */
    public Optional<ApiKey> usable(UUID id) {
        Instant now = clock.instant();
        return store.find(id).filter(k -> k.usableAt(now));
    }

    private byte[] macOf(PresentedApiKey p) {
        return mac.sign(p.text().getBytes(StandardCharsets.US_ASCII));
    }

    private static UUID userOf(ApiKeyOwner owner) {
        return owner instanceof ApiKeyOwner.User u ? u.userId() : null;
    }

    private static LatchkeyException refused(String detail) {
        LOG.info("API key refused: {}", detail);
        return LatchkeyException.withMessage(ErrorCode.INVALID_GRANT, REFUSED, detail);
    }

    private static LatchkeyException invalid(String message, String detail) {
        return LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, message, detail);
    }
}
