package dev.latchkey.server.config;

import dev.latchkey.core.ratelimit.RateLimit;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parsers for setting values: durations like {@code 5m}, rates like {@code 10/1m}, sizes like {@code 64KiB}. */
final class Parsers {
    private Parsers() {
    }

    static String string(String s) {
        return s;
    }

    static Integer integer(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
        }
    }

    /** A whole number, or empty for an empty value. */
    static java.util.OptionalInt optionalInteger(String s) {
        return s.isBlank() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(integer(s));
    }

    static Boolean bool(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        };
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 12h}, {@code 30d}, or ISO-8601 ({@code PT5M}). */
    static Duration duration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expected a duration like 500ms, 10s, 5m, 12h or 30d, got '" + s + "'");
        }
    }

    /** {@code 10/1m}: 10 requests per minute. */
    static RateLimit rate(String s) {
        String[] parts = s.strip().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected a rate like 10/1m, got '" + s + "'");
        }
        try {
            return new RateLimit(Long.parseLong(parts[0].strip()), duration(parts[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expected a rate like 10/1m, got '" + s + "'");
        }
    }

    /** {@code 65536}, {@code 64KiB}, {@code 1MiB}. */
    static Integer bytes(String s) {
        String t = s.strip();
        try {
            if (t.endsWith("KiB")) {
                return Integer.parseInt(t.substring(0, t.length() - 3).strip()) * 1024;
            }
            if (t.endsWith("MiB")) {
                return Integer.parseInt(t.substring(0, t.length() - 3).strip()) * 1024 * 1024;
            }
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a size like 65536, 64KiB or 1MiB, got '" + s + "'");
        }
    }

    static URI url(String s) {
        URI u;
        try {
            u = URI.create(s.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: '" + s + "'");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL, got '" + s + "'");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("the URL must not have a query or fragment: '" + s + "'");
        }
        return u;
    }

    static List<String> list(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
