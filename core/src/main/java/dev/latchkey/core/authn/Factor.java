package dev.latchkey.core.authn;

/**
 * A way to prove who one is, as a step of a sign-in. Each completes with an {@link Amr} value and is
 * either a first factor (starts a sign-in by itself) or a second factor (only after a first one).
 * TOTP and recovery codes are second factors only; passkeys and upstream providers can start a sign-in.
 */
public enum Factor {
    PASSWORD(Amr.PWD, Kind.KNOWLEDGE, true),
    /** A single-use link or code sent to the account's e-mail address. */
    MAIL_LINK(Amr.MAIL, Kind.POSSESSION, true),
    /** A time-based one-time password from an authenticator app (RFC 6238). */
    TOTP(Amr.OTP, Kind.POSSESSION, false),
    /** A single-use recovery code (a NIST SP 800-63B look-up secret): {@code otp} in RFC 8176 terms. */
    RECOVERY_CODE(Amr.OTP, Kind.POSSESSION, false),
    /**
     * An upstream identity provider vouched for the user (docs/identity-providers.md). Counted as possession
     * (of the upstream session); a second factor still applies after it as after a password.
     */
    UPSTREAM(Amr.FED, Kind.POSSESSION, true),
    /**
     * A WebAuthn passkey assertion (WebAuthn Level 3 §7.2): passwordless as a first factor, or after
     * one. Its {@code amr} depends on the credential ({@code hwk} device-bound, {@code swk} synced,
     * plus {@code user} when the authenticator verified the user), so the step carries it:
     * {@link CompletedStep#passkey}.
     */
    PASSKEY(Amr.HWK, Kind.POSSESSION, true);

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
