package dev.latchkey.core.authz.model;

import java.util.List;
import java.util.Objects;

/**
 * A relation's definition as a userset rewrite (Zanzibar §2.3.1): who has the relation on an object.
 * OpenFGA's JSON names: {@code this}, {@code computedUserset}, {@code tupleToUserset}, {@code union},
 * {@code intersection}, {@code difference}.
 */
public sealed interface Rewrite {
    /** Users the relation's own tuples name ({@code [user, group#member]} in the DSL). */
    record Direct() implements Rewrite {
    }

    /** Everyone who has another relation on the same object ({@code editor}). */
    record Computed(String relation) implements Rewrite {
        public Computed {
            Objects.requireNonNull(relation, "relation");
        }
    }

    /** Everyone who has {@code computed} on the objects the {@code tupleset} relation points to ({@code viewer from parent}). */
    record TupleToUserset(String tupleset, String computed) implements Rewrite {
        public TupleToUserset {
            Objects.requireNonNull(tupleset, "tupleset");
            Objects.requireNonNull(computed, "computed");
        }
    }

    /** {@code a or b}. */
    record Union(List<Rewrite> children) implements Rewrite {
        public Union {
            children = List.copyOf(children);
        }
    }

    /** {@code a and b}. */
    record Intersection(List<Rewrite> children) implements Rewrite {
        public Intersection {
            children = List.copyOf(children);
        }
    }

    /** {@code base but not subtract}. */
    record Exclusion(Rewrite base, Rewrite subtract) implements Rewrite {
        public Exclusion {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(subtract, "subtract");
        }
    }

    /** True when the rewrite refers to the relation's own tuples anywhere. */
    static boolean hasDirect(Rewrite r) {
        return switch (r) {
            case Direct d -> true;
            case Computed c -> false;
            case TupleToUserset t -> false;
            case Union u -> u.children().stream().anyMatch(Rewrite::hasDirect);
            case Intersection i -> i.children().stream().anyMatch(Rewrite::hasDirect);
            case Exclusion e -> hasDirect(e.base()) || hasDirect(e.subtract());
        };
    }
}
