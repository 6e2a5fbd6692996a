package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.token.TokenPrincipal;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An organization's slug: its short, URL-safe, unique name ({@code acme}, {@code acme-eu}), which relying
 * parties may send as {@code organization=<slug>} at the authorization endpoint. 1–63 lower-case letters,
 * digits and hyphens, starting and ending with a letter or digit, and never of a UUID's form (so a value
 * that parses as an organization id is always read as one).
 */
public final class OrgSlug {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NON_SLUG = Pattern.compile("[^a-z0-9]+");

    private OrgSlug() {
    }

    /** Whether {@code s} has the form of a slug. */
    public static boolean valid(String s) {
        return s != null && SLUG.matcher(s).matches() && !TokenPrincipal.looksLikeUserId(s);
    }

    /** {@code s} when it is a slug; a {@link ErrorCode#VALIDATION_FAILED} that says what a slug is otherwise. */
    public static String require(String s) {
        if (!valid(s)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A slug is 1-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit (and not a UUID).",
                    "bad slug");
        }
        return s;
    }

    /** {@code slug} with the last 12 hex digits of {@code id} ({@code acme-3f9a1c0d2b4e}): the random part of a UUIDv7 or v4. */
    public static String withIdSuffix(String slug, java.util.UUID id) {
        String hex = id.toString().replace("-", "");
        return slug + "-" + hex.substring(hex.length() - 12);
    }

    /** A slug made from an organization's name ({@code "Acme Corp."} → {@code acme-corp}); {@code org} when nothing is left. */
    public static String fromName(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        String s = NON_SLUG.matcher(ascii).replaceAll("-");
        s = s.replaceAll("^-+", "");
        if (s.length() > 48) {
            s = s.substring(0, 48);
        }
        s = s.replaceAll("-+$", "");
        if (s.isEmpty()) {
            return "org";
        }
        return TokenPrincipal.looksLikeUserId(s) ? "org-" + s : s;
    }
}
