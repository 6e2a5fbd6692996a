package dev.latchkey.core.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Scope values (RFC 6749 §3.3): space-delimited, case-sensitive tokens of %x21 / %x23-5B / %x5D-7E. */
public final class Scopes {
    public static final String OPENID = "openid";
    public static final String OFFLINE_ACCESS = "offline_access";
    private static final Pattern TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");

    private Scopes() {
    }

    /** Parses a scope parameter; null on a syntax error. Order is kept, duplicates dropped. */
    public static Set<String> parse(String scope) {
        Set<String> out = new LinkedHashSet<>();
        if (scope == null || scope.isEmpty()) {
            return out;
        }
        for (String s : scope.split(" ")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!TOKEN.matcher(s).matches()) {
                return null;
            }
            out.add(s);
        }
        return out;
    }

    public static boolean valid(String token) {
        return TOKEN.matcher(token).matches();
    }

    public static String format(Set<String> scopes) {
        return String.join(" ", scopes);
    }

    public static Set<String> of(String... s) {
        return new LinkedHashSet<>(Arrays.asList(s));
    }
}
