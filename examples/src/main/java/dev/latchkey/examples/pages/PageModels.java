package dev.latchkey.examples.pages;

import java.util.List;
import java.util.Objects;

/** What the jte templates render; every string is escaped by jte's HTML content type. */
public final class PageModels {
    private PageModels() {
    }

    /** @param displayName null when nobody is signed in */
    public record Landing(String displayName) {
    }

    /**
     * @param userId  the signed-in user's id: what another user shares a note with ({@code user:<id>})
     * @param sharing whether notes can be shared (the app has relation credentials)
     */
    public record Dashboard(String displayName, String userId, String org, List<String> roles, boolean sharing) {
        public Dashboard {
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(org, "org");
            roles = List.copyOf(roles);
        }
    }
}
