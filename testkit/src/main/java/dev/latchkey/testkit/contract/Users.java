package dev.latchkey.testkit.contract;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.id.UuidV7;
import java.time.Instant;
import java.util.UUID;

/** Creating users for the contract suites. */
final class Users {
    private Users() {
    }

    static User create(UserStore users, Instant now) {
        User u = new User(UuidV7.next(), EmailAddress.parse("c-" + UUID.randomUUID() + "@example.test"), false, "Contract",
                "hash", UserStatus.ACTIVE, 1, now, now);
        if (!users.create(u)) {
            throw new IllegalStateException("could not create " + u.email());
        }
        return u;
    }
}
