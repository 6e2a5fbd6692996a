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

    public record Dashboard(String displayName, String org, List<String> roles) {
        public Dashboard {
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(org, "org");
            roles = List.copyOf(roles);
        }
    }
}
