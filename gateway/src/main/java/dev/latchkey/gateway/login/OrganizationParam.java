package dev.latchkey.gateway.login;

import dev.latchkey.core.org.OrgSlug;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code organization} of {@code /auth/login}, passed on to the server's authorization endpoint (Latchkey's
 * {@code organization} parameter, docs/authorization.md): an organization's id in canonical UUID form, or its
 * {@link OrgSlug slug}. Only that form is checked here, so no other string reaches the server's query; whether the
 * user is a member is the server's decision ({@code access_denied} otherwise). Absent or empty: none.
 */
public final class OrganizationParam {
    private OrganizationParam() {
    }

    /** The one value given, when well-formed; {@link GatewayError#INVALID_ORGANIZATION} for a malformed or repeated one. */
    public static Optional<String> parse(List<String> values) {
        if (values.isEmpty() || values.size() == 1 && values.get(0).isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new GatewayException(GatewayError.INVALID_ORGANIZATION, "organization given " + values.size() + " times");
        }
        String v = values.get(0);
        if (!isId(v) && !OrgSlug.valid(v)) {
            throw new GatewayException(GatewayError.INVALID_ORGANIZATION, "malformed organization (" + v.length() + " characters)");
        }
        return Optional.of(v);
    }

    private static boolean isId(String s) {
        try {
            return s.length() == 36 && UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
