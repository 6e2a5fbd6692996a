package dev.latchkey.core.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A string in the PHC string format
 * (<a href="https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md">phc-sf-spec</a>):
 * {@code $<id>[$v=<version>][$<param>=<value>(,<param>=<value>)*][$<salt>[$<hash>]]}. Salt and
 * hash stay as text; each format decodes them itself.
 */
record PhcString(String id, OptionalInt version, List<Param> params, String salt, String hash) {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9/+.-]{1,64}");

    /** One {@code name=value} pair, in the order the string lists them. */
    record Param(String name, String value) {
    }

    PhcString {
        params = List.copyOf(params);
    }

    /** The value of a parameter, if present. */
    Optional<String> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).map(Param::value).findFirst();
    }

    /**
     * Parses a PHC string that has both a salt and a hash.
     *
     * @throws UnrecognizedHashException when the text is not such a string
     */
    static PhcString parse(String text) {
        if (!text.startsWith("$")) {
            throw new UnrecognizedHashException("a PHC string starts with '$'");
        }
        String[] fields = text.substring(1).split("\\$", -1);
        if (fields.length < 3 || fields.length > 5 || !ID.matcher(fields[0]).matches()) {
            throw new UnrecognizedHashException("not a PHC string ($id$params$salt$hash)");
        }
        int i = 1;
        OptionalInt version = OptionalInt.empty();
        if (fields[i].startsWith("v=") && fields.length - i > 2) {
            version = OptionalInt.of(parseInt(fields[i].substring(2), "version"));
            i++;
        }
        List<Param> params = new ArrayList<>();
        if (fields.length - i == 3) {
            for (String pair : fields[i].split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0 || !NAME.matcher(pair.substring(0, eq)).matches() || !VALUE.matcher(pair.substring(eq + 1)).matches()) {
                    throw new UnrecognizedHashException("malformed PHC parameter list");
                }
                String name = pair.substring(0, eq);
                if (params.stream().anyMatch(p -> p.name().equals(name))) {
                    throw new UnrecognizedHashException("PHC parameter '" + name + "' appears twice");
                }
                params.add(new Param(name, pair.substring(eq + 1)));
            }
            i++;
        }
        if (fields.length - i != 2) {
            throw new UnrecognizedHashException("a PHC string needs a salt and a hash");
        }
        return new PhcString(fields[0], version, params, fields[i], fields[i + 1]);
    }

    /** A decimal integer parameter without sign or leading zeros, as the PHC format requires. */
    static int parseInt(String text, String what) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new UnrecognizedHashException("malformed " + what);
        }
        long value = Long.parseLong(text);
        if (value > Integer.MAX_VALUE) {
            throw new UnrecognizedHashException(what + " is out of range");
        }
        return (int) value;
    }

    /** The string form; the salt and hash are written as given. */
    String format() {
        StringBuilder sb = new StringBuilder("$").append(id);
        version.ifPresent(v -> sb.append("$v=").append(v));
        if (!params.isEmpty()) {
            sb.append('$');
            for (int k = 0; k < params.size(); k++) {
                sb.append(k == 0 ? "" : ",").append(params.get(k).name()).append('=').append(params.get(k).value());
            }
        }
        return sb.append('$').append(salt).append('$').append(hash).toString();
    }
}
