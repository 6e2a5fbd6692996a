package dev.latchkey.sdk.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The verified claims of an access token, for custom claims the {@link VerifiedToken} record does not
 * model. Read-only, typed: a getter returns empty when the claim is absent and throws
 * {@link IllegalStateException} when it is present with another JSON type, so a misconfigured issuer is
 * noticed instead of silently read as "absent".
 */
public final class Claims {
    private final JWTClaimsSet set;
    private final String json;

    Claims(JWTClaimsSet set, String json) {
        this.set = Objects.requireNonNull(set, "set");
        this.json = Objects.requireNonNull(json, "json");
    }

    public boolean has(String name) {
        return set.getClaim(name) != null;
    }

    public Set<String> names() {
        return Set.copyOf(set.getClaims().keySet());
    }

    public Optional<String> string(String name) {
        try {
            return Optional.ofNullable(set.getStringClaim(name));
        } catch (ParseException e) {
            throw wrongType(name, "a string");
        }
    }

    public List<String> strings(String name) {
        try {
            List<String> values = set.getStringListClaim(name);
            return values == null ? List.of() : List.copyOf(values);
        } catch (ParseException | NullPointerException e) {
            throw wrongType(name, "an array of strings");
        }
    }

    public OptionalLong number(String name) {
        Object value = set.getClaim(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return OptionalLong.of(n.longValue());
        }
        throw wrongType(name, "an integer");
    }

    public Optional<Boolean> bool(String name) {
        try {
            return Optional.ofNullable(set.getBooleanClaim(name));
        } catch (ParseException e) {
            throw wrongType(name, "a boolean");
        }
    }

    /**
     * The claims of the JSON object under {@code name} (e.g. {@code org_claims}), read with the same typed getters;
     * empty when absent.
     *
     * @throws IllegalStateException when the claim is present and not a JSON object
     */
    public Claims object(String name) {
        java.util.Map<String, Object> m;
        try {
            m = set.getJSONObjectClaim(name);
        } catch (ParseException e) {
            throw wrongType(name, "a JSON object");
        }
        if (m == null) {
            return new Claims(new JWTClaimsSet.Builder().build(), "{}");
        }
        try {
            return new Claims(JWTClaimsSet.parse(m), com.nimbusds.jose.util.JSONObjectUtils.toJSONString(m));
        } catch (ParseException e) {
            throw wrongType(name, "a JSON object of claims");
        }
    }

    /** The payload exactly as the issuer signed it (a JSON object), e.g. for {@code latchkey.claims} in PostgreSQL. */
    public String json() {
        return json;
    }

    private static IllegalStateException wrongType(String name, String expected) {
        return new IllegalStateException("claim " + name + " is not " + expected);
    }

    /** Two claim sets are equal when the issuer signed the same payload. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Claims other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "Claims" + set.getClaims().keySet();
    }
}
