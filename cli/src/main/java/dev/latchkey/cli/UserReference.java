package dev.latchkey.cli;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.server.Backend;
import java.util.Optional;
import java.util.UUID;

/** The user a command names: by id or by e-mail address. */
final class UserReference {
    private UserReference() {
    }

    static User resolve(Backend b, String ref) {
        String r = ref.strip();
        Optional<User> u;
        try {
            u = b.users().findById(UUID.fromString(r));
        } catch (IllegalArgumentException notAnId) {
            try {
                u = b.users().findByEmail(EmailAddress.parse(r));
            } catch (RuntimeException notAnAddress) {
                u = Optional.empty();
            }
        }
        return u.orElseThrow(() -> new CliException("no user " + r + " (give a user id or e-mail address)"));
    }
}
