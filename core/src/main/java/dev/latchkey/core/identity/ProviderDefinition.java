package dev.latchkey.core.identity;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fields that define a provider, as text: the one parser behind the configuration
 * ({@code idp.<name>.<field>}, {@code LATCHKEY_IDP_<NAME>_<FIELD>}), the admin API's JSON fields and
 * the CLI's options, so all three accept the same values and report the same errors.
 */
public final class ProviderDefinition {
    /** One field: its name and what it means (the documentation table is generated from this list). */
    public record Field(String name, String meaning) {
    }

    public static final List<Field> FIELDS = List.of(
            new Field("preset", "oidc (default), oauth2, google, microsoft, github, gitlab, apple or latchkey: fills in endpoints, scopes, mapping"),
            new Field("label", "Button text on the sign-in page (default: the name, capitalised)"),
            new Field("issuer", "OpenID Connect issuer URL (discovery at <issuer>/.well-known/openid-configuration)"),
            new Field("tenant", "microsoft preset: the Entra ID tenant id or domain"),
            new Field("authorization_endpoint", "Overrides the (discovered) authorization endpoint"),
            new Field("token_endpoint", "Overrides the (discovered) token endpoint"),
            new Field("userinfo_endpoint", "userinfo (OIDC) or user profile (plain OAuth 2.0) endpoint"),
            new Field("emails_endpoint", "plain OAuth 2.0: a GitHub-style e-mails endpoint (only the verified primary address is used)"),
            new Field("client_id", "Client id registered at the provider (required)"),
            new Field("client_secret", "Client secret (apple: the .p8 private key, PEM); stored encrypted; never shown again"),
            new Field("scopes", "Space- or comma-separated scopes (default: the preset's)"),
            new Field("claim_subject", "Claim or field of the stable user id (default sub; GitHub: id)"),
            new Field("claim_email", "Claim or field of the e-mail address (default email)"),
            new Field("claim_email_verified", "Claim of the verified flag (default email_verified)"),
            new Field("claim_name", "Claim or field of the display name (default name)"),
            new Field("allowed_domains", "Comma-separated e-mail domains; when set, only verified addresses in them may sign in"),
            new Field("may_create_users", "true (default): a first sign-in creates a user; false: only linked identities sign in"),
            new Field("trusted_emails", "false (default): true marks asserted-verified addresses verified and links them to an existing account with that address"),
            new Field("store_tokens", "false (default): true keeps the upstream tokens, encrypted, for later API calls"),
            new Field("trust_upstream_mfa", "false (default): true lets an upstream amr containing mfa count as the second factor"),
            new Field("enabled", "true (default): false hides the button and refuses sign-ins"),
            new Field("apple_team_id", "apple preset: the developer team id that signs the client-secret JWT"),
            new Field("apple_key_id", "apple preset: the key id of the .p8 key"));

    private ProviderDefinition() {
    }

    public static boolean known(String field) {
        return FIELDS.stream().anyMatch(f -> f.name().equals(field));
    }

    /**
     * Builds the provider {@code name} from its fields ({@code value} answers null for an unset one).
     *
     * @throws IllegalArgumentException naming every problem, one per line
     */
    public static IdentityProvider build(String name, Function<String, String> value) {
        List<String> problems = new ArrayList<>();
        Function<String, String> v = f -> {
            String s = value.apply(f);
            return s == null || s.isBlank() ? null : s.strip();
        };
        Preset preset = attempt(problems, () -> Preset.parse(Optional.ofNullable(v.apply("preset")).orElse("oidc")));
        Optional<URI> issuer = Optional.ofNullable(attempt(problems, () -> uri(v.apply("issuer"), "issuer")));
        Preset.Template t = preset == null ? null : attempt(problems, () -> preset.template(issuer, Optional.ofNullable(v.apply("tenant"))));
        if (t == null) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        ProviderEndpoints e = attempt(problems, () -> new ProviderEndpoints(t.endpoints().issuer(),
                or(uri(v.apply("authorization_endpoint"), "authorization_endpoint"), t.endpoints().authorization()),
                or(uri(v.apply("token_endpoint"), "token_endpoint"), t.endpoints().token()),
                or(uri(v.apply("userinfo_endpoint"), "userinfo_endpoint"), t.endpoints().userinfo()),
                or(uri(v.apply("emails_endpoint"), "emails_endpoint"), t.endpoints().emails())));
        List<String> scopes = v.apply("scopes") == null ? t.scopes() : split(v.apply("scopes"), "[\\s,]+");
        ClaimMapping claims = attempt(problems, () -> new ClaimMapping(or(v.apply("claim_subject"), t.claims().subject()),
                or(v.apply("claim_email"), t.claims().email()), or(v.apply("claim_email_verified"), t.claims().emailVerified()),
                or(v.apply("claim_name"), t.claims().name())));
        Boolean create = attempt(problems, () -> bool(v.apply("may_create_users"), true, "may_create_users"));
        Boolean trusted = attempt(problems, () -> bool(v.apply("trusted_emails"), false, "trusted_emails"));
        Boolean keep = attempt(problems, () -> bool(v.apply("store_tokens"), false, "store_tokens"));
        Boolean mfa = attempt(problems, () -> bool(v.apply("trust_upstream_mfa"), false, "trust_upstream_mfa"));
        List<String> domains = v.apply("allowed_domains") == null ? List.of() : split(v.apply("allowed_domains"), "[\\s,]+");
        ProviderPolicy policy = attempt(problems, () -> new ProviderPolicy(create != null && create, trusted != null && trusted, domains,
                keep != null && keep, mfa != null && mfa));
        Boolean enabled = attempt(problems, () -> bool(v.apply("enabled"), true, "enabled"));
        Optional<AppleClientSecret.Signer> apple = Optional.empty();
        if (preset == Preset.APPLE) {
            AppleClientSecret.Signer s = attempt(problems, () -> new AppleClientSecret.Signer(v.apply("apple_team_id"), v.apply("apple_key_id")));
            apple = Optional.ofNullable(s);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        Optional<AppleClientSecret.Signer> a = apple;
        IdentityProvider p = attempt(problems, () -> new IdentityProvider(name, t.type(), preset, v.apply("label"), e, v.apply("client_id"),
                v.apply("client_secret"), scopes, claims, policy, enabled, a));
        if (p == null) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        if (p.apple().isPresent()) {
            attempt(problems, () -> AppleClientSecret.sign(p.apple().get(), p.clientId(), p.clientSecret(), java.time.Instant.now()));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
        }
        return p;
    }

    private static <T> T attempt(List<String> problems, java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException | NullPointerException ex) {
            problems.add(ex.getMessage() == null ? "missing value" : ex.getMessage());
            return null;
        }
    }

    private static URI uri(String s, String what) {
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            ProviderEndpoints.check(u, what);
            return u;
        } catch (java.net.URISyntaxException ex) {
            throw new IllegalArgumentException(what + " is not a URL");
        }
    }

    private static <T> Optional<T> or(T value, Optional<T> fallback) {
        return value != null ? Optional.of(value) : fallback;
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static boolean bool(String s, boolean dflt, String what) {
        if (s == null) {
            return dflt;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(what + " must be true or false");
        };
    }

    private static List<String> split(String s, String regex) {
        return Arrays.stream(s.split(regex)).filter(x -> !x.isBlank()).toList();
    }
}
