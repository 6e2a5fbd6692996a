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
public record Authentication(List<Amr> amr, Acr acr, Instant authTime) {
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
        for (CompletedStep s : steps) {
            amr.addAll(s.amr());
            kinds.addAll(s.kinds());
            last = s.at().isAfter(last) ? s.at() : last;
        }
        boolean multi = kinds.size() > 1;
        if (multi) {
            amr.add(Amr.MFA);
        }
        return new Authentication(new ArrayList<>(amr), multi ? Acr.MULTI_FACTOR : Acr.ONE_FACTOR, last);
    }

    /** The stored form on sessions (compatible with the {@code "pwd"} sessions carried before). */
    public String storedAmr() {
        return Amr.format(amr);
    }
}
