package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * Who calls the admin API, as {@link AdminApi}'s authentication found it: a deployment administrator (the
 * bootstrap key, {@code keyId} null, or a deployment key) or an org-scoped key ({@code orgId} set), which
 * {@link OrgScope} keeps inside {@code /admin/v1/orgs/{orgId}}.
 */
public record AdminCaller(UUID keyId, UUID orgId) {
    static final String ATTRIBUTE = "latchkey.admin.caller";
    static final AdminCaller BOOTSTRAP = new AdminCaller(null, null);

    public boolean orgScoped() {
        return orgId != null;
    }

    /** The caller of this request (set before any admin handler runs). */
    public static AdminCaller of(Context ctx) {
        AdminCaller c = ctx.attribute(ATTRIBUTE);
        if (c == null) {
            throw LatchkeyException.of(ErrorCode.INTERNAL, "admin handler without an authenticated caller");
        }
        return c;
    }

    /** For audit details: which key acted, and for which organization. */
    public String describe() {
        if (keyId == null) {
            return "bootstrap admin key";
        }
        return orgScoped() ? "admin key " + keyId + " of organization " + orgId : "admin key " + keyId;
    }
}
