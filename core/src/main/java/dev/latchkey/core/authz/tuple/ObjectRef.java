package dev.latchkey.core.authz.tuple;

import java.util.Objects;

/** An object {@code type:id} ({@code document:report.pdf}). */
public record ObjectRef(String type, String id) {
    public ObjectRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    /** Parses {@code type:id}; the id is everything after the first colon. */
    public static ObjectRef parse(String text) {
        TupleValidation.object(text);
        int c = text.indexOf(':');
        return new ObjectRef(text.substring(0, c), text.substring(c + 1));
    }

    @Override
    public String toString() {
        return type + ":" + id;
    }
}
