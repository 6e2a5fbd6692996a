package dev.latchkey.core.authz.tuple;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.regex.Pattern;

/** The syntax of objects, relations and users, with OpenFGA's limits (object 256, relation 50, user 512 characters). */
final class TupleValidation {
    private static final Pattern OBJECT = Pattern.compile("[^:#@*\\s]{1,254}:[^#\\s]{1,256}");
    private static final Pattern RELATION = Pattern.compile("[^:#@*\\s]{1,50}");
    private static final Pattern USER = Pattern.compile("[^:#@*\\s]{1,254}:(\\*|[^#*\\s]{1,256}(#[^:#@*\\s]{1,50})?)");

    private TupleValidation() {
    }

    static void object(String s) {
        if (s == null || s.length() > 256 || !OBJECT.matcher(s).matches() || s.endsWith(":*")) {
            throw invalid("invalid 'object' field format: '" + shorten(s) + "' (expected type:id)");
        }
    }

    static void relation(String s) {
        if (s == null || !RELATION.matcher(s).matches()) {
            throw invalid("invalid 'relation' field: '" + shorten(s) + "'");
        }
    }

    static void user(String s) {
        if (s == null || s.length() > 512 || !USER.matcher(s).matches()) {
            throw invalid("invalid 'user' field format: '" + shorten(s) + "' (expected type:id, type:* or type:id#relation)");
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, message, "tuple syntax: " + message);
    }
}
