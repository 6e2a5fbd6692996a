package dev.latchkey.core.authn;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The deployment's multi-factor policy: {@code optional} (users choose), {@code required} (everyone
 * must use a second factor, and enrols one right after the first factor if they have none), or
 * required for holders of any of {@code roles} in any of their organizations, and for members of any
 * of the organizations named {@code org:<id>} in the list. A user is judged by {@link #attributesOf}
 * their memberships: every role they hold anywhere (so switching organizations cannot dodge the rule)
 * and {@code org:<id>} for every organization they belong to.
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

    /** The prefix of an organization in the list: {@code org:<organization id>}. */
    public static final String ORG_PREFIX = "org:";

    /**
     * Parses {@code optional}, {@code required} or a comma-separated list of roles and organizations
     * ({@code admin,billing,org:0190…}); an {@code org:} entry must name an organization id (a UUID).
     */
    public static MfaPolicy parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "", "optional" -> OPTIONAL;
            case "required" -> new MfaPolicy(Mode.REQUIRED, Set.of());
            default -> {
                Set<String> entries = new java.util.LinkedHashSet<>();
                for (String e : text.strip().split("\\s*,\\s*")) {
                    if (e.isEmpty()) {
                        throw new IllegalArgumentException("an empty entry in the list");
                    }
                    if (e.toLowerCase(Locale.ROOT).startsWith(ORG_PREFIX)) {
                        String id = e.substring(ORG_PREFIX.length());
                        try {
                            e = ORG_PREFIX + java.util.UUID.fromString(id);
                        } catch (IllegalArgumentException bad) {
                            throw new IllegalArgumentException("\"" + e + "\": an org: entry names an organization id (a UUID)");
                        }
                    }
                    entries.add(e);
                }
                yield new MfaPolicy(Mode.ROLES, entries);
            }
        };
    }

    /** What the policy judges a user by: every role of every membership, and {@code org:<id>} of each organization. */
    public static Set<String> attributesOf(Collection<dev.latchkey.core.org.OrgStore.MemberOf> memberships) {
        Set<String> out = new java.util.HashSet<>();
        for (dev.latchkey.core.org.OrgStore.MemberOf m : memberships) {
            out.add(ORG_PREFIX + m.org().id());
            out.addAll(m.roles());
        }
        return out;
    }

    /**
     * Whether a user with these {@link #attributesOf attributes} must use a second factor; {@code userRoles} is
     * asked for only by a policy that names roles or organizations (a sign-in under the others reads no memberships).
     */
    public boolean requiredFor(java.util.function.Supplier<? extends Collection<String>> userRoles) {
        return switch (mode) {
            case OPTIONAL -> false;
            case REQUIRED -> true;
            case ROLES -> userRoles.get().stream().anyMatch(roles::contains);
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
