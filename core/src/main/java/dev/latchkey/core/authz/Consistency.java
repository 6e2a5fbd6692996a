package dev.latchkey.core.authz;

import java.util.Locale;

/** OpenFGA's consistency preference for queries. */
public enum Consistency {
    /** Unspecified: as {@link #MINIMIZE_LATENCY}. */
    UNSPECIFIED,
    /** May answer from tuples read up to the cache's time to live ago (10 s by default). */
    MINIMIZE_LATENCY,
    /** Reads the database: sees every write committed before the query started. */
    HIGHER_CONSISTENCY;

    public static Consistency parse(String s) {
        if (s == null || s.isEmpty()) {
            return UNSPECIFIED;
        }
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
