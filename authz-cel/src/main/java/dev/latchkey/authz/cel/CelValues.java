package dev.latchkey.authz.cel;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.latchkey.core.authz.model.ParamType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON values (as a request's context or a tuple's carries them) to CEL's runtime types, by the parameter's declared
 * type: RFC 3339 text to a timestamp, Go-style duration text ({@code 1h30m}, {@code 10s}) to a duration, integral
 * numbers to int/uint. A value of the wrong kind is a {@code validation_error} naming the parameter.
 */
final class CelValues {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private CelValues() {
    }

    static Object convert(String condition, String param, ParamType type, Object v) {
        try {
            return value(type, v);
        } catch (RuntimeException e) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "failed to convert context parameter '" + param + "' of condition '"
                    + condition + "' to " + type.dsl(), "cel value");
        }
    }

    private static Object value(ParamType type, Object v) {
        return switch (type.name()) {
            case ANY -> any(v);
            case BOOL -> (Boolean) v;
            case STRING, IPADDRESS -> (String) v;
            case INT -> integral(v).longValueExact();
            case UINT -> {
                BigDecimal d = integral(v);
                if (d.signum() < 0) {
                    throw new IllegalArgumentException("negative uint");
                }
                yield UnsignedLong.valueOf(d.toBigIntegerExact());
            }
            case DOUBLE -> ((Number) v).doubleValue();
            case DURATION -> duration((String) v);
            case TIMESTAMP -> timestamp((String) v);
            case LIST -> {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    out.add(value(type.generics().get(0), o));
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    out.put((String) e.getKey(), value(type.generics().get(0), e.getValue()));
                }
                yield out;
            }
        };
    }

    private static Object any(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(CelValues::any).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, any(x)));
            return out;
        }
        return v;
    }

    private static BigDecimal integral(Object v) {
        BigDecimal d = new BigDecimal(((Number) v).toString());
        if (d.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("not integral");
        }
        return d;
    }

    static Timestamp timestamp(String s) {
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            t = OffsetDateTime.parse(s).toInstant();
        }
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    static Duration duration(String s) {
        String text = s.strip();
        boolean negative = text.startsWith("-");
        if (negative || text.startsWith("+")) {
            text = text.substring(1);
        }
        if (text.equals("0")) {
            return Duration.getDefaultInstance();
        }
        Matcher m = DURATION_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (m.lookingAt()) {
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
            m.region(at, text.length());
        }
        if (at == 0 || at != text.length()) {
            throw new IllegalArgumentException("not a duration: " + s);
        }
        long total = nanos.longValueExact() * (negative ? -1 : 1);
        return Duration.newBuilder().setSeconds(total / 1_000_000_000L).setNanos((int) (total % 1_000_000_000L)).build();
    }
}
