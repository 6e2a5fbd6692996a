package dev.latchkey.server.pages;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.Requests;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** Form handling shared by the hosted pages: single-valued fields and the CSRF/origin check. */
final class Forms {
    private final Requests requests;
    private final Csrf csrf;

    Forms(Requests requests, Csrf csrf) {
        this.requests = requests;
        this.csrf = csrf;
    }

    /** The origin is ours (or absent) and the form's CSRF token matches the browser's. */
    boolean valid(Context ctx) {
        return requests.originAllowed(ctx) && csrf.valid(ctx, single(ctx, "csrf"));
    }

    String token(Context ctx) {
        return csrf.token(ctx);
    }

    /** A form field that must appear at most once; null when absent. */
    static String single(Context ctx, String name) {
        List<String> values = ctx.formParams(name);
        if (values.size() > 1) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The field '" + name + "' was sent twice.", "duplicate form field");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** A form field, bounded: empty when absent, an error when longer than {@code max}. */
    static String field(Context ctx, String name, int max) {
        String v = Optional.ofNullable(single(ctx, name)).orElse("");
        if (v.length() > max) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "The field '" + name + "' is too long.", "oversized form field");
        }
        return v;
    }

    /** A query parameter that must appear at most once, bounded. */
    static String query(Context ctx, String name, int max) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter '" + name + "' was sent twice.", "duplicate query parameter");
        }
        String v = values.isEmpty() ? "" : values.get(0);
        return v.length() > max ? "" : v;
    }
}
