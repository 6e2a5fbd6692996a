package dev.latchkey.core.password;

import java.util.Optional;

/** The three Argon2 variants (RFC 9106 §3.1, type y) and their PHC identifiers. */
public enum Argon2Variant {
    ARGON2D("argon2d", HashFormat.ARGON2D),
    ARGON2I("argon2i", HashFormat.ARGON2I),
    ARGON2ID("argon2id", HashFormat.ARGON2ID);

    private final String phcId;
    private final HashFormat format;

    Argon2Variant(String phcId, HashFormat format) {
        this.phcId = phcId;
        this.format = format;
    }

    /** The identifier in a PHC string, e.g. {@code argon2id} in {@code $argon2id$v=19$…}. */
    public String phcId() {
        return phcId;
    }

    public HashFormat format() {
        return format;
    }

    public static Optional<Argon2Variant> ofPhcId(String id) {
        for (Argon2Variant v : values()) {
            if (v.phcId.equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
