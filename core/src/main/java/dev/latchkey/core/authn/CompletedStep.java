package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of a sign-in that succeeded, and when. For {@link Factor#UPSTREAM}, {@code provider} names
 * the upstream identity provider and {@code upstreamMfa} says it asserted a multi-factor sign-in that the
 * operator trusts (the provider's {@code trust_upstream_mfa}).
 */
public record CompletedStep(Factor factor, Instant at, String provider, boolean upstreamMfa) {
    public CompletedStep {
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(at, "at");
        if ((factor == Factor.UPSTREAM) != (provider != null)) {
            throw new IllegalArgumentException("an upstream step names its provider, no other step does");
        }
        if (upstreamMfa && factor != Factor.UPSTREAM) {
            throw new IllegalArgumentException("only an upstream step can carry the provider's multi-factor assertion");
        }
    }

    public CompletedStep(Factor factor, Instant at) {
        this(factor, at, null, false);
    }
}
