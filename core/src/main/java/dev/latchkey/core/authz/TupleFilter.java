package dev.latchkey.core.authz;

import dev.latchkey.core.authz.tuple.User;
import java.util.Objects;
import java.util.Optional;

/** Which tuples a read returns: any combination of object type, object id (with its type), relation and user. */
public record TupleFilter(Optional<String> objectType, Optional<String> objectId, Optional<String> relation, Optional<User> user) {
    public static final TupleFilter ALL = new TupleFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public TupleFilter {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(user, "user");
        if (objectId.isPresent() && objectType.isEmpty()) {
            throw new IllegalArgumentException("an object id needs its type");
        }
    }
}
