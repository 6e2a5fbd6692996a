package dev.latchkey.core.authz.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The type of a condition parameter: OpenFGA's {@code TYPE_NAME_*} (DSL {@code string}, {@code list<string>} …).
 * {@code map} and {@code list} have one generic type.
 */
public record ParamType(Name name, List<ParamType> generics) {
    /** The type names OpenFGA defines. */
    public enum Name {
        ANY, BOOL, STRING, INT, UINT, DOUBLE, DURATION, TIMESTAMP, MAP, LIST, IPADDRESS;

        public String json() {
            return "TYPE_NAME_" + name();
        }

        public String dsl() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ParamType {
        Objects.requireNonNull(name, "name");
        generics = List.copyOf(generics);
        boolean generic = name == Name.MAP || name == Name.LIST;
        if (generic != (generics.size() == 1)) {
            throw new IllegalArgumentException(generic ? name.dsl() + " needs exactly one generic type" : name.dsl() + " takes no generic type");
        }
    }

    public static ParamType of(Name name) {
        return new ParamType(name, List.of());
    }

    public String dsl() {
        return generics.isEmpty() ? name.dsl() : name.dsl() + "<" + generics.get(0).dsl() + ">";
    }
}
