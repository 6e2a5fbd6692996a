package dev.latchkey.core.authz.engine;

import java.util.List;

/** What expand answers: one level of a relation's rewrite on an object (OpenFGA's {@code UsersetTree}). */
public sealed interface UsersetTree {
    /** {@code object#relation} this node describes. */
    String name();

    /** Users named directly by tuples ({@code user:anne}, {@code user:*}, {@code group:eng#member}). */
    record Users(String name, List<String> users) implements UsersetTree {
    }

    /** Everyone in another userset of the same object. */
    record Computed(String name, String userset) implements UsersetTree {
    }

    /** Everyone in {@code computed} of each object the tupleset names. */
    record TupleToUserset(String name, String tupleset, List<String> computed) implements UsersetTree {
    }

    record Union(String name, List<UsersetTree> nodes) implements UsersetTree {
    }

    record Intersection(String name, List<UsersetTree> nodes) implements UsersetTree {
    }

    record Difference(String name, UsersetTree base, UsersetTree subtract) implements UsersetTree {
    }
}
