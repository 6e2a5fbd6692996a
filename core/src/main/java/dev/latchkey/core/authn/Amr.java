package dev.latchkey.core.authn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication method reference values ({@code amr}, RFC 8176 §2). Where the registry has no
 * value, Latchkey uses its own, documented in docs/email.md: {@link #MAIL} (a single-use link or
 * code sent by e-mail: possession of the mailbox) and {@link #FED} (an upstream identity provider
 * vouched for the user).
 */
public enum Amr {
    /** Password-based authentication (RFC 8176). */
    PWD("pwd"),
    /** One-time password (RFC 8176), e.g. TOTP. */
    OTP("otp"),
    /** Proof of possession of a hardware-secured key (RFC 8176), e.g. a security key or platform passkey. */
    HWK("hwk"),
    /** Proof of possession of a software-secured key (RFC 8176), e.g. a synced passkey. */
    SWK("swk"),
    /** User presence test (RFC 8176). */
    USER("user"),
    /** Multiple-factor authentication (RFC 8176): added whenever two distinct factors completed. */
    MFA("mfa"),
    /** Latchkey's own: a single-use link or code mailed to the account's address. */
    MAIL("mail"),
    /** Latchkey's own: an upstream (federated) identity provider authenticated the user. */
    FED("fed");

    private final String wireName;

    Amr(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Amr> fromWire(String s) {
        for (Amr a : values()) {
            if (a.wireName.equals(s)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The stored form on sessions and codes: wire names separated by one space ({@code "pwd"} for a
     * password sign-in, as before this enum existed; {@code "pwd otp mfa"} for two factors).
     */
    public static String format(Collection<Amr> amr) {
        return String.join(" ", amr.stream().map(Amr::wireName).toList());
    }

    /** Parses the stored form; unknown values (from a newer node) are skipped, a null or blank value means {@code pwd}. */
    public static List<Amr> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of(PWD);
        }
        Set<Amr> out = new LinkedHashSet<>();
        for (String part : stored.strip().toLowerCase(Locale.ROOT).split(" +")) {
            fromWire(part).ifPresent(out::add);
        }
        return out.isEmpty() ? List.of(PWD) : new ArrayList<>(out);
    }
}
