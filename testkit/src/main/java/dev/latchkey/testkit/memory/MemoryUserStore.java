package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Accounts in memory, for {@code core} unit tests. Every method is synchronized, so each transition
 * is atomic like the PostgreSQL store's single statements. Security events bump the version; there
 * are no sessions here to revoke (the session store's "active" check compares versions).
 */
public final class MemoryUserStore implements UserStore {
    private final Map<UUID, User> byId = new HashMap<>();
    private final List<UUID> changed = new ArrayList<>();

    @Override
    public synchronized boolean create(User user) {
        if (byEmail(user.email()).isPresent() || byId.containsKey(user.id())) {
            return false;
        }
        byId.put(user.id(), user);
        return true;
    }

    @Override
    public synchronized Optional<User> findByEmail(EmailAddress email) {
        return byEmail(email);
    }

    @Override
    public synchronized Optional<User> findById(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized boolean rehashPassword(UUID id, String expectedHash, String newHash, Instant now) {
        User u = byId.get(id);
        if (u == null || !java.util.Objects.equals(u.passwordHash(), expectedHash)) {
            return false;
        }
        put(u, x -> copy(x, x.email(), x.emailVerified(), x.name(), newHash, x.status(), x.securityVersion(), now));
        return true;
    }

    @Override
    public synchronized Optional<Integer> changePassword(UUID id, String newHash, Instant now) {
        User u = byId.get(id);
        if (u == null) {
            return Optional.empty();
        }
        return Optional.of(put(u, x -> copy(x, x.email(), x.emailVerified(), x.name(), newHash, x.status(), x.securityVersion() + 1, now))
                .securityVersion());
    }

    @Override
    public synchronized Optional<Integer> setStatus(UUID id, UserStatus status, Instant now) {
        User u = byId.get(id);
        if (u == null) {
            return Optional.empty();
        }
        int bump = status == UserStatus.DISABLED && u.active() ? 1 : 0;
        return Optional.of(put(u, x -> copy(x, x.email(), x.emailVerified(), x.name(), x.passwordHash(), status, x.securityVersion() + bump, now))
                .securityVersion());
    }

    @Override
    public synchronized boolean delete(UUID id, Instant now) {
        return byId.remove(id) != null;
    }

    @Override
    public synchronized boolean updateName(UUID id, String name, Instant now) {
        User u = byId.get(id);
        if (u == null) {
            return false;
        }
        put(u, x -> copy(x, x.email(), x.emailVerified(), name, x.passwordHash(), x.status(), x.securityVersion(), now));
        changed.add(id);
        return true;
    }

    @Override
    public synchronized boolean markEmailVerified(UUID id, EmailAddress email, Instant now) {
        User u = byId.get(id);
        if (u == null || u.emailVerified() || !u.email().equals(email)) {
            return false;
        }
        put(u, x -> copy(x, x.email(), true, x.name(), x.passwordHash(), x.status(), x.securityVersion(), now));
        changed.add(id);
        return true;
    }

    @Override
    public synchronized EmailChange changeEmail(UUID id, EmailAddress newEmail, int expectedVersion, Instant now) {
        if (byEmail(newEmail).isPresent()) {
            return EmailChange.TAKEN;
        }
        User u = byId.get(id);
        if (u == null || u.securityVersion() != expectedVersion) {
            return EmailChange.STALE;
        }
        put(u, x -> copy(x, newEmail, true, x.name(), x.passwordHash(), x.status(), x.securityVersion() + 1, now));
        return EmailChange.CHANGED;
    }

    @Override
    public synchronized List<User> list(int offset, int limit) {
        return byId.values().stream().sorted(Comparator.comparing(User::id)).skip(offset).limit(limit).toList();
    }

    @Override
    public synchronized long count() {
        return byId.size();
    }

    /** Users whose profile change was announced (name, verification), in order. */
    public synchronized List<UUID> announcedChanges() {
        return List.copyOf(changed);
    }

    private Optional<User> byEmail(EmailAddress email) {
        return byId.values().stream().filter(u -> u.email().equals(email)).findFirst();
    }

    private User put(User u, UnaryOperator<User> f) {
        User n = f.apply(u);
        byId.put(n.id(), n);
        return n;
    }

    private static User copy(User u, EmailAddress email, boolean verified, String name, String hash, UserStatus status, int version,
                             Instant now) {
        return new User(u.id(), email, verified, name, hash, status, version, u.createdAt(), now);
    }
}
