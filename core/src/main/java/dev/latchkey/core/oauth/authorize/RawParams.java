package dev.latchkey.core.oauth.authorize;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Request parameters exactly as received (query or form), each name with all its values. */
public record RawParams(Map<String, List<String>> values) {
    public RawParams {
        values = Map.copyOf(values);
    }

    /** The single value of {@code name}, or null when absent or empty. (Duplicates are rejected by a check.) */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    public boolean duplicated(String name) {
        List<String> v = values.get(name);
        return v != null && v.size() > 1;
    }

    public Set<String> names() {
        return values.keySet();
    }
}
