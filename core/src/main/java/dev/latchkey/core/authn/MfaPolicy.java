package dev.latchkey.core.authn;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The deployment's multi-factor policy: {@code optional} (users choose), {@code required} (everyone
 * must use a second factor, and enrols one right after the first factor if they have none), or
 * required for holders of any of {@code roles} (the roles of the membership that goes into tokens).
 */
public record MfaPolicy(Mode mode, Set<String> roles) {
    public enum Mode { OPTIONAL, REQUIRED, ROLES }

    public static final MfaPolicy OPTIONAL = new MfaPolicy(Mode.OPTIONAL, Set.of());

    public MfaPolicy {
        Objects.requireNonNull(mode, "mode");
        roles = Set.copyOf(roles);
        if (mode == Mode.ROLES && roles.isEmpty()) {
            throw new IllegalArgumentException("an MFA policy by roles names at least one role");
        }
    }

    /** Parses {@code optional}, {@code required} or a comma-separated role list ({@code admin,billing}). */
    public static MfaPolicy parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "", "optional" -> OPTIONAL;
            case "required" -> new MfaPolicy(Mode.REQUIRED, Set.of());
            default -> new MfaPolicy(Mode.ROLES, Set.of(text.strip().split("\\s*,\\s*")));
        };
    }

    public boolean requiredFor(Collection<String> userRoles) {
        return switch (mode) {
            case OPTIONAL -> false;
            case REQUIRED -> true;
            case ROLES -> userRoles.stream().anyMatch(roles::contains);
        };
    }

    /** The setting's text form (what {@link #parse} reads). */
    public String text() {
        return switch (mode) {
            case OPTIONAL -> "optional";
            case REQUIRED -> "required";
            case ROLES -> String.join(",", roles.stream().sorted().toList());
        };
    }
}
