package dev.latchkey.server.pages;

import java.util.List;

/** What {@code api-keys.jte} shows: the user's keys, and a key just made (its text, shown this once), or a message. */
public record ApiKeyPageModel(String csrf, List<Item> keys, String createdKey, String notice, String error, String env) {
    /** One listed key (never its text). */
    public record Item(String id, String keyId, String name, String state, String created, String lastUsed, String expires, boolean active) {
    }
}
