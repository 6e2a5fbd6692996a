package dev.latchkey.core.authz;

import java.util.List;
import java.util.Objects;

/** One page of a listing and the opaque token for the next ({@code ""} when this is the last page). */
public record Page<T>(List<T> items, String continuationToken) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(continuationToken, "continuationToken");
    }
}
