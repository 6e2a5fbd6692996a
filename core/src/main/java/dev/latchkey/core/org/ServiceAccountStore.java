package dev.latchkey.core.org;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for {@link ServiceAccount}s. Implementations: {@code PgServiceAccountStore} (PostgreSQL)
 * and {@code MemoryServiceAccountStore} (testkit), both held to {@code ServiceAccountStoreContract}.
 * Every lookup names the organization, so one organization's path never reaches another's account.
 */
public interface ServiceAccountStore {
    void create(ServiceAccount account);

    Optional<ServiceAccount> find(UUID orgId, UUID id);

    /** By id alone (the token minter's view). */
    Optional<ServiceAccount> find(UUID id);

    /** One page of an organization's accounts ordered by id, after {@code after} (null: from the start). */
    List<ServiceAccount> list(UUID orgId, UUID after, int limit);

    /**
     * Applies a change in one conditional statement; null fields stay. {@code disabled} true sets
     * {@code disabled_at} to {@code now} (once: an already disabled account keeps its time), false clears it.
     * Disabling writes a {@code service_account_disabled} revocation entry in the same transaction.
     *
     * @return the account after the change, empty when there is no such account in that organization
     */
    Optional<ServiceAccount> update(UUID orgId, UUID id, String name, String description, List<String> roles, Boolean disabled, Instant now);

    /**
     * Deletes it with the clients and API keys it owns, in one transaction that also announces it on the revocation
     * feed as disabled and each of its unrevoked keys as a revoked session (the key id is the {@code sid} of the
     * tokens exchanged for it); false when absent.
     */
    boolean delete(UUID orgId, UUID id, Instant now);

    /**
     * Binds a registered client to the account, only while the account exists in {@code orgId} and is
     * enabled (one conditional INSERT).
     *
     * @return false when there is no such enabled account in that organization
     */
    boolean bindClient(UUID orgId, UUID id, String clientId);

    /** The account that owns {@code clientId}, if any (disabled or not). */
    Optional<ServiceAccount> ownerOf(String clientId);

    /** The ids of the clients the account owns, sorted. */
    List<String> clients(UUID orgId, UUID id);
}
