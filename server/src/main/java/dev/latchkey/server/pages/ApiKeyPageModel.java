package dev.latchkey.server.pages;

import java.util.List;

/** What {@code api-keys.jte} shows: the user's keys, and a key just made (its text, shown this once), or a message. */
public record ApiKeyPageModel(String csrf, List<Item> keys, List<Org> orgs, String createdKey, String notice, String error, String env) {
    /** One listed key (never its text); {@code org} and {@code permissions} null when it names none. */
    public record Item(String id, String keyId, String name, String state, String created, String lastUsed, String expires, boolean active,
                       String org, String permissions) {
    }

    /** One of the user's organizations, which a new key may name. */
    public record Org(String id, String name, String slug) {
    }
}
