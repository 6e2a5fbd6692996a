package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a sign-in that succeeded, and when; with the {@code amr} values (RFC 8176 §2) and the
 * factor kinds it proved. Most steps prove one kind with their factor's one value; a passkey with
 * user verification proves possession of the key and the user's PIN or biometric on the
 * authenticator at once, so it counts as two kinds (multi-factor in one step). For
 * {@link Factor#UPSTREAM}, {@code provider} names the upstream identity provider and
 * {@code upstreamMfa} says it asserted a multi-factor sign-in that the operator trusts (the
 * provider's {@code trust_upstream_mfa}).
 */
public record CompletedStep(Factor factor, Instant at, List<Amr> amr, Set<Factor.Kind> kinds, String provider, boolean upstreamMfa) {
    public CompletedStep {
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(at, "at");
        amr = List.copyOf(amr);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        if (amr.isEmpty() || kinds.isEmpty()) {
            throw new IllegalArgumentException("a step proves at least one method and one kind");
        }
        if ((factor == Factor.UPSTREAM) != (provider != null)) {
            throw new IllegalArgumentException("an upstream step names its provider, no other step does");
        }
        if (upstreamMfa && factor != Factor.UPSTREAM) {
            throw new IllegalArgumentException("only an upstream step can carry the provider's multi-factor assertion");
        }
    }

    /** A step proving its factor's one method. */
    public CompletedStep(Factor factor, Instant at) {
        this(factor, at, List.of(factor.amr()), Set.of(factor.kind()), null, false);
    }

    /** A sign-in at the upstream identity provider {@code provider} ({@code upstreamMfa}: its trusted multi-factor assertion). */
    public static CompletedStep upstream(Instant at, String provider, boolean upstreamMfa) {
        return new CompletedStep(Factor.UPSTREAM, at, List.of(Factor.UPSTREAM.amr()), Set.of(Factor.UPSTREAM.kind()),
                Objects.requireNonNull(provider, "provider"), upstreamMfa);
    }

    /**
     * A verified passkey assertion. {@code synced}: the credential is backup eligible (BE flag,
     * WebAuthn §6.1), i.e. a multi-device key that leaves the device ({@code swk}); otherwise it is
     * device-bound ({@code hwk}). {@code userVerified}: the UV flag was set, the authenticator checked
     * a PIN or biometric ({@code user}, and a second kind: multi-factor by itself).
     */
    public static CompletedStep passkey(Instant at, boolean synced, boolean userVerified) {
        Amr key = synced ? Amr.SWK : Amr.HWK;
        return userVerified
                ? new CompletedStep(Factor.PASSKEY, at, List.of(key, Amr.USER), Set.of(Factor.Kind.POSSESSION, Factor.Kind.INHERENCE), null, false)
                : new CompletedStep(Factor.PASSKEY, at, List.of(key), Set.of(Factor.Kind.POSSESSION), null, false);
    }
}
