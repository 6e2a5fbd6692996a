package dev.latchkey.core.identity;

import java.util.Objects;

/**
 * Which upstream claim (ID token, userinfo or profile API field) holds the subject, the e-mail
 * address, whether it is verified, and the display name. OIDC Core §5.1 names are the defaults;
 * GitHub's profile API has {@code id}, {@code email}, no verified flag (its e-mails API has one) and
 * {@code name}.
 */
public record ClaimMapping(String subject, String email, String emailVerified, String name) {
    public static final ClaimMapping OIDC = new ClaimMapping("sub", "email", "email_verified", "name");

    public ClaimMapping {
        subject = claimName(subject, "subject");
        email = claimName(email, "email");
        emailVerified = claimName(emailVerified, "email_verified");
        name = claimName(name, "name");
    }

    private static String claimName(String v, String what) {
        Objects.requireNonNull(v, what);
        if (!v.matches("[A-Za-z0-9_:.\\-]{1,100}")) {
            throw new IllegalArgumentException("claim mapping " + what + " must be 1 to 100 letters, digits or _:.-");
        }
        return v;
    }
}
