package dev.latchkey.core.apikey;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose an API key is, and so whose tokens its exchange mints. Stored as {@code (owner_kind, owner_id)}
 * ({@link #kind()}, {@link #id()}): a user, or an organization's service account (kind
 * {@code service_account}, id into {@code service_accounts}).
 */
public sealed interface ApiKeyOwner permits ApiKeyOwner.User, ApiKeyOwner.ServiceAccount {
    /** The stored {@code owner_kind}. */
    String kind();

    /** The stored {@code owner_id}. */
    UUID id();

    /** A user's own key: its tokens are the user's ({@code sub} the user id). */
    record User(UUID userId) implements ApiKeyOwner {
        public static final String KIND = "user";

        public User {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public UUID id() {
            return userId;
        }
    }

    /**
     * A service account's key: its tokens are the account's ({@code sub} {@code sa_<id>}, {@code sub_type}
     * {@code service_account}), in the account's organization.
     */
    record ServiceAccount(UUID accountId) implements ApiKeyOwner {
        public static final String KIND = "service_account";

        public ServiceAccount {
            Objects.requireNonNull(accountId, "accountId");
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public UUID id() {
            return accountId;
        }
    }

    /** The owner a stored row names. */
    static ApiKeyOwner of(String kind, UUID id) {
        return switch (kind) {
            case User.KIND -> new User(id);
            case ServiceAccount.KIND -> new ServiceAccount(id);
            default -> throw new IllegalStateException("API key owner kind not known to this node: " + kind);
        };
    }
}
