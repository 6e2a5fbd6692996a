package dev.latchkey.core.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The blocklist of commonly used passwords NIST SP 800-63B-4 §3.1.1.2 asks verifiers to check:
 * {@code common-passwords.txt} beside this class (see the README there for its origin and
 * licence), one lowercase password per line. Loaded on first use into a sorted array.
 */
final class CommonPasswords {
    static final String RESOURCE = "common-passwords.txt";

    private CommonPasswords() {
    }

    /** Lazy holder: the list is read once, when a policy first checks a password. */
    private static final class Holder {
        static final String[] SORTED = load();
    }

    /** Whether the password, compared without regard to case, is on the list. */
    static boolean contains(String password) {
        return Arrays.binarySearch(Holder.SORTED, password.toLowerCase(Locale.ROOT)) >= 0;
    }

    static int size() {
        return Holder.SORTED.length;
    }

    private static String[] load() {
        try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            List<String> lines = new ArrayList<>(32_000);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    lines.add(line.toLowerCase(Locale.ROOT));
                }
            }
            String[] sorted = lines.toArray(String[]::new);
            Arrays.sort(sorted);
            return sorted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
