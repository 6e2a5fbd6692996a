package dev.latchkey.sdk.http;

import dev.latchkey.sdk.token.PrincipalKind;
import dev.latchkey.sdk.token.VerifiedToken;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A condition a route places on its verified principal. Every guard implies authentication: without a valid
 * token the request is refused with 401 before any guard runs. {@code R} is the framework's request type,
 * used only by {@link #requireOwnership}. A client's own token ({@code client_credentials}, see
 * {@link dev.latchkey.sdk.token.PrincipalKind}) never passes a guard that is about a user: {@link #requireUser},
 * {@link #requireRole} and {@link #requireOwnership} refuse it with 403.
 */
public sealed interface Guard<R> {

    /** Empty when the principal passes; otherwise why not. */
    Optional<Denial> check(VerifiedToken principal, R request);

    /** Any valid token, a user's or a client's. */
    static <R> Guard<R> requireAuth() {
        return new Authenticated<>();
    }

    /** A user's token: a client acting for itself, or a service account, is refused (403). */
    static <R> Guard<R> requireUser() {
        return new Principal<>(PrincipalKind.USER);
    }

    /** A client's own token (a machine, {@code client_credentials}): a user's token is refused (403). */
    static <R> Guard<R> requireClient() {
        return new Principal<>(PrincipalKind.CLIENT);
    }

    /** A service account's token ({@code sub_type: "service_account"}): users and clients acting for themselves are refused (403). */
    static <R> Guard<R> requireServiceAccount() {
        return new Principal<>(PrincipalKind.SERVICE_ACCOUNT);
    }

    /** Every one of {@code scopes} must be granted (RFC 6750 §3.1 {@code insufficient_scope} otherwise). */
    static <R> Guard<R> requireScope(String... scopes) {
        return new Scopes<>(new LinkedHashSet<>(Arrays.asList(scopes)));
    }

    /** A user's or service account's token with {@code role} among its {@code roles} (roles in its {@code org}); never a client's own. */
    static <R> Guard<R> requireRole(String role) {
        return new Role<>(role);
    }

    /**
     * A user's token whose {@code acr} is one of {@code acceptable} (e.g. {@code urn:latchkey:acr:mfa});
     * otherwise 401 {@code insufficient_user_authentication} naming them (RFC 9470 §3), so the client can
     * step up (the gateway: {@code /auth/login?acr=…&returnTo=…}).
     */
    static <R> Guard<R> requireAcr(String... acceptable) {
        return new AcrGuard<>(new LinkedHashSet<>(Arrays.asList(acceptable)));
    }

    /**
     * A user's token whose {@code auth_time} is at most {@code maxAge} ago; otherwise 401
     * {@code insufficient_user_authentication} with {@code max_age} (RFC 9470 §3).
     */
    static <R> Guard<R> requireRecentAuth(java.time.Duration maxAge) {
        return new RecentAuth<>(maxAge, java.time.Clock.systemUTC());
    }

    /** {@link #requireRecentAuth(java.time.Duration)} against {@code clock}. */
    static <R> Guard<R> requireRecentAuth(java.time.Duration maxAge, java.time.Clock clock) {
        return new RecentAuth<>(maxAge, clock);
    }

    static <R> Guard<R> requirePermission(String permission) {
        return new Permission<>(permission);
    }

    /**
     * The resource's owner, as {@code ownerOf} finds it from the request, must be the user of a user's token
     * (never a client's). A null owner (no such resource) is refused the same way, so the answer does not tell
     * which ids exist.
     */
    static <R> Guard<R> requireOwnership(Function<? super R, String> ownerOf) {
        return new Ownership<>(ownerOf);
    }

    record Authenticated<R>() implements Guard<R> {
        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            return Optional.empty();
        }
    }

    record Principal<R>(PrincipalKind kind) implements Guard<R> {
        public Principal {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            return principal.kind() == kind ? Optional.empty()
                    : Optional.of(new Denial.Forbidden(switch (kind) {
                        case USER -> "a " + describe(principal.kind()) + " token, not a user's";
                        case CLIENT -> "a " + describe(principal.kind()) + " token, not a client's own";
                        case SERVICE_ACCOUNT -> "a " + describe(principal.kind()) + " token, not a service account's";
                    }));
        }

        private static String describe(PrincipalKind k) {
            return switch (k) {
                case USER -> "user's";
                case CLIENT -> "client's own";
                case SERVICE_ACCOUNT -> "service account's";
            };
        }
    }

    record Scopes<R>(Set<String> scopes) implements Guard<R> {
        public Scopes {
            scopes = Set.copyOf(scopes);
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("requireScope needs at least one scope");
            }
            scopes.forEach(Scopes::checkScopeToken);
        }

        /** RFC 6749 §3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}; so it is safe in a quoted challenge. */
        private static void checkScopeToken(String scope) {
            if (scope.isEmpty() || !scope.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) {
                throw new IllegalArgumentException("not a scope token: " + scope);
            }
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            return principal.scopes().containsAll(scopes) ? Optional.empty()
                    : Optional.of(new Denial.InsufficientScope(scopes));
        }
    }

    record Role<R>(String role) implements Guard<R> {
        public Role {
            Objects.requireNonNull(role, "role");
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            if (principal.isClient()) {
                return Optional.of(new Denial.Forbidden("a client's own token has no roles"));
            }
            return principal.hasRole(role) ? Optional.empty() : Optional.of(new Denial.Forbidden("missing role " + role));
        }
    }

    record Permission<R>(String permission) implements Guard<R> {
        public Permission {
            Objects.requireNonNull(permission, "permission");
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            return principal.hasPermission(permission) ? Optional.empty()
                    : Optional.of(new Denial.Forbidden("missing permission " + permission));
        }
    }

    record AcrGuard<R>(Set<String> acceptable) implements Guard<R> {
        public AcrGuard {
            acceptable = Set.copyOf(acceptable);
            if (acceptable.isEmpty() || acceptable.stream().anyMatch(a -> a.isEmpty() || a.contains("\"") || a.contains(" "))) {
                throw new IllegalArgumentException("requireAcr needs acr values without spaces or quotes");
            }
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            if (!principal.isUser()) {
                return Optional.of(new Denial.Forbidden("a client's own token has no authentication context"));
            }
            return principal.acr().filter(acceptable::contains).isPresent() ? Optional.empty()
                    : Optional.of(new Denial.InsufficientAuthentication(acceptable, java.util.OptionalLong.empty()));
        }
    }

    record RecentAuth<R>(java.time.Duration maxAge, java.time.Clock clock) implements Guard<R> {
        public RecentAuth {
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(clock, "clock");
            if (maxAge.isNegative() || maxAge.toSeconds() < 1) {
                throw new IllegalArgumentException("requireRecentAuth needs a maximum age of at least 1 s");
            }
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            if (!principal.isUser()) {
                return Optional.of(new Denial.Forbidden("a client's own token has no authentication time"));
            }
            boolean recent = principal.authTime().map(t -> !t.plus(maxAge).isBefore(clock.instant())).orElse(false);
            return recent ? Optional.empty()
                    : Optional.of(new Denial.InsufficientAuthentication(Set.of(), java.util.OptionalLong.of(maxAge.toSeconds())));
        }
    }

    record Ownership<R>(Function<? super R, String> ownerOf) implements Guard<R> {
        public Ownership {
            Objects.requireNonNull(ownerOf, "ownerOf");
        }

        @Override
        public Optional<Denial> check(VerifiedToken principal, R request) {
            if (!principal.isUser()) {
                return Optional.of(new Denial.Forbidden("a client's own token owns no user's resource"));
            }
            String owner = ownerOf.apply(request);
            return principal.subject().equals(owner) ? Optional.empty()
                    : Optional.of(new Denial.Forbidden(owner == null ? "no owner found" : "not the owner"));
        }
    }
}
