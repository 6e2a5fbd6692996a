package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A permission: {@code resource:action}, both lower case, e.g. {@code notes:write} or
 * {@code billing.invoices:read}. The resource is letters, digits, {@code _ - .} (starting with a
 * letter, at most 64 characters); the action letters, digits, {@code _ -} (at most 32). No wildcards:
 * a permission in a token means exactly that permission, so every layer (SDK, gateway, RLS) compares
 * strings and agrees.
 */
public record Permission(String resource, String action) {
    private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public Permission {
        if (resource == null || !RESOURCE.matcher(resource).matches() || action == null || !ACTION.matcher(action).matches()) {
            throw invalid(resource + ":" + action);
        }
    }

    /** Parses {@code resource:action}; a {@link ErrorCode#VALIDATION_FAILED} naming the bad value otherwise. */
    public static Permission parse(String s) {
        if (s == null) {
            throw invalid("null");
        }
        int colon = s.indexOf(':');
        if (colon < 0 || s.indexOf(':', colon + 1) >= 0) {
            throw invalid(s);
        }
        return new Permission(s.substring(0, colon), s.substring(colon + 1));
    }

    /** Parses each, sorted and without duplicates (the stored and the token form). */
    public static List<String> normalize(Collection<String> permissions) {
        return permissions.stream().map(Permission::parse).map(Permission::toString).distinct().sorted().toList();
    }

    private static LatchkeyException invalid(String s) {
        String shown = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                "Permission \"" + shown + "\" is not of the form resource:action (lower case; resource letters, digits, _ - .; action letters, digits, _ -).",
                "bad permission");
    }

    @Override
    public String toString() {
        return resource + ":" + action;
    }
}
