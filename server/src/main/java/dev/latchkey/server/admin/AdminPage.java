package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of an admin listing, the same way everywhere: {@code ?limit=} 1 to a maximum (100 when absent) and
 * {@code ?after=} the {@code next} of the previous page; the answer is {@code {"<items>": […], "next": …}}, where
 * {@code next} is the last item's key when the page is full and null on the last page.
 */
record AdminPage<K>(int limit, K after) {
    static final int DEFAULT_LIMIT = 100;

    /**
     * The page a request asks for; a malformed or out-of-range value is a 400 {@code validation_failed}
     * "limit is 1-{max}, after {afterWhat}." ({@code after} throws {@link IllegalArgumentException} for a bad key).
     */
    static <K> AdminPage<K> of(Context ctx, int max, Function<String, K> after, String afterWhat) {
        String message = "limit is 1-" + max + ", after " + afterWhat + ".";
        int limit;
        K from;
        try {
            limit = ctx.queryParam("limit") == null ? DEFAULT_LIMIT : Integer.parseInt(ctx.queryParam("limit"));
            from = ctx.queryParam("after") == null ? null : after.apply(ctx.queryParam("after"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, message, "bad paging");
        }
        if (limit < 1 || limit > max) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, message, "bad limit " + limit);
        }
        return new AdminPage<>(limit, from);
    }

    /** The answer for the items a store returned for this page. */
    <T> Map<String, Object> body(String name, List<T> items, Function<T, ?> render, Function<T, ?> key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(name, items.stream().map(render).toList());
        body.put("next", items.size() == limit ? key.apply(items.get(items.size() - 1)) : null);
        return body;
    }
}
