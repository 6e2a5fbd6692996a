package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import java.util.Collection;
import java.util.List;

/**
 * What the query engine reads: four narrow lookups a SQL store answers from two indexes, (store, object, relation,
 * user) and (store, user, relation, object type).
 */
public interface TupleReader {
    /** Tuples on {@code object#relation} whose user is exactly one of {@code users}. */
    List<RelationTuple> find(String store, ObjectRef object, String relation, Collection<User> users);

    /** Tuples on {@code object#relation} whose user is a userset ({@code group:x#member}). */
    List<RelationTuple> usersets(String store, ObjectRef object, String relation);

    /** Every tuple on {@code object#relation}. */
    List<RelationTuple> all(String store, ObjectRef object, String relation);

    /**
     * Tuples whose user is exactly {@code user}, optionally only on objects of {@code objectType} (null: any) and
     * with a relation among {@code relations} (null: any).
     */
    List<RelationTuple> byUser(String store, User user, String objectType, Collection<String> relations);
}
