package dev.latchkey.core.apikey;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose an API key is, and so whose tokens its exchange mints. Stored as {@code (owner_kind, owner_id)}
 * ({@link #kind()}, {@link #id()}). Today a user; a service account is one more case here (kind
 * {@code service_account}, id into {@code service_accounts}), one more branch where {@link ApiKeyExchange}
 * checks that the owner is still active and builds its {@code TokenPrincipal}, and one more branch in
 * {@link #of}.
 */
public sealed interface ApiKeyOwner permits ApiKeyOwner.User {
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

    /** The owner a stored row names. */
    static ApiKeyOwner of(String kind, UUID id) {
        return switch (kind) {
            case User.KIND -> new User(id);
            default -> throw new IllegalStateException("API key owner kind not known to this node: " + kind);
        };
    }
}
