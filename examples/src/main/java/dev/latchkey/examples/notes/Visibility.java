package dev.latchkey.examples.notes;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a note is for ({@code demo.notes.visibility}, migration 5): {@link #PRIVATE} its owner (and whoever it is shared
 * with), {@link #ORG} every member of its organization while signed in to it. Chosen when the note is created.
 */
public enum Visibility {
    PRIVATE,
    ORG;

    /** The wire and column value: {@code private} or {@code org}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Visibility> parse(String wire) {
        for (Visibility v : values()) {
            if (v.wireName().equals(wire)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
