package dev.latchkey.core.authn;

/**
 * A way to prove who one is, as a step of a sign-in. Each completes with an {@link Amr} value and is
 * either a first factor (starts a sign-in by itself) or a second factor (only after a first one).
 * Passkeys are added here by their own issue; the upstream-provider issue adds {@code UPSTREAM}.
 */
public enum Factor {
    PASSWORD(Amr.PWD, Kind.KNOWLEDGE, true),
    /** A single-use link or code sent to the account's e-mail address. */
    MAIL_LINK(Amr.MAIL, Kind.POSSESSION, true),
    /** A time-based one-time password from an authenticator app (RFC 6238). */
    TOTP(Amr.OTP, Kind.POSSESSION, false),
    /** A single-use recovery code (a NIST SP 800-63B look-up secret): {@code otp} in RFC 8176 terms. */
    RECOVERY_CODE(Amr.OTP, Kind.POSSESSION, false);

    /** NIST SP 800-63B factor kinds: two steps of the same kind are not multi-factor. */
    public enum Kind { KNOWLEDGE, POSSESSION, INHERENCE }

    private final Amr amr;
    private final Kind kind;
    private final boolean first;

    Factor(Amr amr, Kind kind, boolean first) {
        this.amr = amr;
        this.kind = kind;
        this.first = first;
    }

    public Amr amr() {
        return amr;
    }

    public Kind kind() {
        return kind;
    }

    /** The name clients see and send ({@code "totp"}, {@code "recovery_code"}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Factor> fromWire(String s) {
        for (Factor f : values()) {
            if (f.wireName().equals(s)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether this factor can start a sign-in. */
    public boolean firstFactor() {
        return first;
    }
}
