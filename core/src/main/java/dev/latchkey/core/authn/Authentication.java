package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a user was authenticated, derived from the completed steps of a sign-in: {@code amr} (RFC 8176,
 * {@code mfa} added when two factors of different kinds completed), {@code acr} and {@code auth_time}
 * (the time of the last step, OIDC Core §2).
 */
public record Authentication(List<Amr> amr, Acr acr, Instant authTime, String idp) {
    /** The stored form's prefix of the upstream provider's name (never an {@code amr} value: those have no colon). */
    static final String IDP_PREFIX = "idp:";

    public Authentication(List<Amr> amr, Acr acr, Instant authTime) {
        this(amr, acr, authTime, null);
    }

    public Authentication {
        amr = List.copyOf(amr);
        Objects.requireNonNull(acr, "acr");
        Objects.requireNonNull(authTime, "authTime");
        if (amr.isEmpty()) {
            throw new IllegalArgumentException("an authentication has at least one method");
        }
    }

    public static Authentication of(List<CompletedStep> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("no completed step");
        }
        Set<Amr> amr = new LinkedHashSet<>();
        Set<Factor.Kind> kinds = EnumSet.noneOf(Factor.Kind.class);
        Instant last = steps.get(0).at();
        String idp = null;
        boolean upstreamMfa = false;
        for (CompletedStep s : steps) {
            amr.addAll(s.amr());
            kinds.addAll(s.kinds());
            last = s.at().isAfter(last) ? s.at() : last;
            if (s.provider() != null) {
                idp = s.provider();
                upstreamMfa |= s.upstreamMfa();
            }
        }
        boolean multi = kinds.size() > 1 || upstreamMfa;
        if (multi) {
            amr.add(Amr.MFA);
        }
        return new Authentication(new ArrayList<>(amr), multi ? Acr.MULTI_FACTOR : Acr.ONE_FACTOR, last, idp);
    }

    /**
     * The stored form on sessions and codes (compatible with the {@code "pwd"} sessions carried before):
     * the {@code amr} values, then {@code idp:<provider>} after a federated sign-in.
     */
    public String storedAmr() {
        return idp == null ? Amr.format(amr) : Amr.format(amr) + " " + IDP_PREFIX + idp;
    }

    /** The upstream provider recorded in a stored form, if any (see {@link #storedAmr()}). */
    public static java.util.Optional<String> idpOf(String stored) {
        if (stored != null) {
            for (String part : stored.split(" ")) {
                if (part.startsWith(IDP_PREFIX) && part.length() > IDP_PREFIX.length()) {
                    return java.util.Optional.of(part.substring(IDP_PREFIX.length()));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The {@code amr} values of a stored form, without the provider (RFC 8176 values and Latchkey's own). */
    public static List<String> amrValuesOf(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of(Amr.PWD.wireName());
        }
        return java.util.Arrays.stream(stored.strip().split(" +")).filter(p -> !p.startsWith(IDP_PREFIX)).toList();
    }
}
