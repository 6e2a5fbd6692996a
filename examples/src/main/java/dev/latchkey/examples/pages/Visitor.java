package dev.latchkey.examples.pages;

import java.util.Objects;
import java.util.Set;

/** Who is looking at a page, as the gateway's verified assertion says; no (valid) assertion means {@link Anonymous}. */
public sealed interface Visitor {

    record Anonymous() implements Visitor {
    }

    /**
     * @param userId the unified user id ({@code sub})
     * @param email  may be empty
     * @param name   may be empty
     */
    record SignedIn(String userId, String email, String name, String org, Set<String> roles) implements Visitor {
        public SignedIn {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(org, "org");
            roles = Set.copyOf(roles);
        }

        /** What to call the user: the name, else the email, else a neutral word. */
        public String displayName() {
            return !name.isBlank() ? name : !email.isBlank() ? email : "there";
        }
    }
}
