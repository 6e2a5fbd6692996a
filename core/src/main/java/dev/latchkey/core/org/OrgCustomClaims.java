package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An organization's custom claims: a small flat JSON object an administrator sets (e.g. {@code {"plan":"pro"}}),
 * carried in its members' access tokens under the one claim {@value #CLAIM}, so they can never take the place
 * of a registered claim. At most {@value #MAX_KEYS} keys of 1–32 lower-case letters, digits and {@code _}
 * (starting with a letter, and none of the names of claims Latchkey's tokens carry); values are strings of at
 * most {@value #MAX_STRING} characters, numbers or booleans; the whole at most {@value #MAX_BYTES} bytes
 * as JSON, so tokens stay small.
 */
public record OrgCustomClaims(Map<String, Object> values) {
    public static final String CLAIM = "org_claims";
    public static final int MAX_KEYS = 10;
    public static final int MAX_STRING = 100;
    public static final int MAX_BYTES = 256;
    public static final OrgCustomClaims NONE = new OrgCustomClaims(Map.of());
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** Registered JWT claims (RFC 7519 §4.1), OIDC's and RFC 9068's, and the ones Latchkey's tokens carry. */
    static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "typ", "cty", "sid", "ver",
            "scope", "client_id", "auth_time", "amr", "acr", "azp", "nonce", "at_hash", "c_hash", "org", "roles", "permissions",
            "groups", "entitlements", "sub_type", "cnf", "act", "may_act", CLAIM, "email", "email_verified", "name");

    public OrgCustomClaims {
        if (values == null) {
            values = Map.of();
        }
        if (values.size() > MAX_KEYS) {
            throw invalid("An organization has at most " + MAX_KEYS + " custom claims.");
        }
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String k = e.getKey();
            if (k == null || !KEY.matcher(k).matches()) {
                throw invalid("A custom claim's name is 1-32 lower-case letters, digits and _, starting with a letter: \""
                        + shorten(String.valueOf(k)) + "\" is not.");
            }
            if (RESERVED.contains(k)) {
                throw invalid("\"" + k + "\" is a registered claim; custom claims cannot use its name.");
            }
            copy.put(k, value(k, e.getValue()));
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(copy));
        if (toJson(values).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("The custom claims take more than " + MAX_BYTES + " bytes as JSON; keep tokens small.");
        }
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static Object value(String k, Object v) {
        return switch (v) {
            case String s when s.length() <= MAX_STRING -> s;
            case String s -> throw invalid("The custom claim \"" + k + "\" is longer than " + MAX_STRING + " characters.");
            case Boolean b -> b;
            case Integer i -> i.longValue();
            case Long l -> l;
            case Double d when Double.isFinite(d) -> d;
            case BigDecimal d -> d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : d.doubleValue();
            case null -> throw invalid("The custom claim \"" + k + "\" is null; leave it out instead.");
            default -> throw invalid("The custom claim \"" + k + "\" must be a string, a number or a boolean (no objects or lists).");
        };
    }

    /** The claims as a compact JSON object, keys sorted. */
    public String toJson() {
        return toJson(values);
    }

    private static String toJson(Map<String, Object> values) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, e.getKey());
            b.append(':');
            if (e.getValue() instanceof String s) {
                quote(b, s);
            } else {
                b.append(e.getValue());
            }
        }
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, message, "bad org claims");
    }
}
