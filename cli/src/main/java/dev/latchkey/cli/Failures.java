package dev.latchkey.cli;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An exception chain as the one line a person reads. */
final class Failures {
    private static final int MAX = 600;

    private Failures() {
    }

    /** The outermost message, then each cause's that says something new; class names only where a message is missing. */
    static String describe(Throwable t) {
        List<String> parts = new ArrayList<>();
        String joined = "";
        for (Throwable c = t; c != null && parts.size() < 4; c = c.getCause() == c ? null : c.getCause()) {
            String m = oneLine(c.getMessage());
            if (m.isEmpty()) {
                if (c.getCause() == null && parts.isEmpty()) {
                    parts.add(c.getClass().getSimpleName());
                }
                continue;
            }
            if (!joined.contains(m)) {
                parts.add(m);
                joined = String.join(": ", parts);
            }
        }
        String s = parts.isEmpty() ? t.getClass().getSimpleName() : String.join(": ", parts);
        return s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    }

    /** The first SQL exception in the chain, if the failure came from the database. */
    static Optional<SQLException> sql(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
