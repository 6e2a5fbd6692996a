package dev.latchkey.core.authz.tuple;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values for condition parameters, as a JSON object carries them (a request's {@code context}, a tuple's
 * {@code condition.context}). Crosses module boundaries as JSON text ({@link #json()}, {@link #parse}).
 */
public record ConditionContext(Map<String, Object> values) {
    public static final ConditionContext EMPTY = new ConditionContext(Map.of());
    /** The largest context accepted, in bytes of JSON. */
    public static final int MAX_JSON = 16 * 1024;

    public ConditionContext {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ConditionContext parse(String json) {
        if (json == null || json.isBlank() || json.equals("null")) {
            return EMPTY;
        }
        if (json.length() > MAX_JSON) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "The context is larger than " + MAX_JSON + " bytes.", "context too large");
        }
        try {
            return new ConditionContext(JSONObjectUtils.parse(json));
        } catch (ParseException e) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "The context must be a JSON object.", "context not an object");
        }
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String json() {
        return JSONObjectUtils.toJSONString(values);
    }

    /** These values, overridden by {@code over}'s. */
    public Map<String, Object> mergedWith(ConditionContext over) {
        if (over.isEmpty()) {
            return values;
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.putAll(over.values);
        return m;
    }
}
