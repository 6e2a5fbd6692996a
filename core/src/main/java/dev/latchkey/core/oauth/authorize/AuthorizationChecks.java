package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientStore;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.core.oauth.Scopes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authorization request, checked by a table of small named checks in a fixed order. The first
 * two decide whether the client and redirect URI can be trusted; until they pass, every error is
 * shown on a page and never redirected (RFC 6749 §4.1.2.1). After them, errors go to the client.
 */
public final class AuthorizationChecks {
    static final int MAX_VALUE = 2048;
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
    private static final Set<String> SINGLE = Set.of("client_id", "redirect_uri", "response_type", "response_mode", "scope",
            "state", "nonce", "code_challenge", "code_challenge_method", "prompt", "max_age", "login_hint", "request_uri",
            "request", "display", "ui_locales", "id_token_hint", "acr_values", "claims", "resource", "organization");

    /** The request so far; each check reads the parameters and may fill in the trusted parts. */
    static final class Draft {
        final RawParams params;
        final boolean pushed;
        Client client;
        String redirectUri;
        boolean redirectUriSent;
        Set<String> scopes = Set.of();
        Set<String> prompt = Set.of();
        Integer maxAge;
        String organization;
        String scopeParam;

        Draft(RawParams params, boolean pushed) {
            this.params = params;
            this.pushed = pushed;
            this.scopeParam = params.get("scope");
        }
    }

    /** One named check. */
    interface Check {
        Optional<AuthorizationError> apply(Draft d);
    }

    private final List<Check> checks;

    public AuthorizationChecks(ClientStore clients) {
        this.checks = List.of(
                new RejectDuplicateParams(),
                new RejectOversizedParams(),
                new CheckClient(clients),
                new CheckRedirectUri(),
                new RejectRequestObjects(),
                new CheckResponseType(),
                new CheckResponseMode(),
                new CheckGrantAllowed(),
                new CheckPar(),
                new CheckPkce(),
                new CheckOrganization(),
                new CheckScope(),
                new CheckPrompt(),
                new CheckMaxAge());
    }

    /** Runs every check; either the validated request or the first error. */
    public Result validate(RawParams params, boolean pushed, Client authenticatedClient) {
        Draft d = new Draft(params, pushed);
        if (authenticatedClient != null) {
            d.client = authenticatedClient;
        }
        for (Check c : checks) {
            Optional<AuthorizationError> e = c.apply(d);
            if (e.isPresent()) {
                return new Result(null, e.get());
            }
        }
        return new Result(new AuthorizationRequest(d.client, d.redirectUri, d.redirectUriSent, d.scopes, params.get("state"),
                params.get("nonce"), params.get("code_challenge"), d.prompt, d.maxAge, params.get("login_hint"), pushed,
                acrValues(params.get("acr_values")), d.organization), null);
    }

    /** Either a request or an error. */
    public record Result(AuthorizationRequest request, AuthorizationError error) {
    }

    static AuthorizationError page(ErrorCode code, String description, String detail) {
        return new AuthorizationError(code, description, null, null, detail);
    }

    static Optional<AuthorizationError> toClient(Draft d, ErrorCode code, String description) {
        return Optional.of(new AuthorizationError(code, description, d.redirectUri, d.params.get("state"), description));
    }

    /** RFC 6749 §3.1: parameters must not be included more than once. */
    static final class RejectDuplicateParams implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            for (String n : SINGLE) {
                if (d.params.duplicated(n)) {
                    return Optional.of(page(ErrorCode.INVALID_REQUEST, "The parameter '" + n + "' was sent more than once.", "duplicate " + n));
                }
            }
            return Optional.empty();
        }
    }

    static final class RejectOversizedParams implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            for (String n : d.params.names()) {
                for (String v : d.params.values().get(n)) {
                    if (v.length() > MAX_VALUE) {
                        return Optional.of(page(ErrorCode.INVALID_REQUEST, "The parameter '" + n + "' is too long.", "oversized " + n));
                    }
                }
            }
            return Optional.empty();
        }
    }

    static final class CheckClient implements Check {
        private final ClientStore clients;

        CheckClient(ClientStore clients) {
            this.clients = clients;
        }

        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String id = d.params.get("client_id");
            if (d.client != null) {
                // pushed request: the client authenticated; a client_id parameter must agree
                return id == null || id.equals(d.client.clientId()) ? Optional.empty()
                        : Optional.of(page(ErrorCode.INVALID_REQUEST, "client_id does not match the authenticated client.", "par client mismatch"));
            }
            if (id == null) {
                return Optional.of(page(ErrorCode.INVALID_REQUEST, "The client_id parameter is missing.", "no client_id"));
            }
            d.client = clients.find(id).orElse(null);
            return d.client == null
                    ? Optional.of(page(ErrorCode.INVALID_CLIENT, "Unknown client.", "unknown client_id"))
                    : Optional.empty();
        }
    }

    /**
     * Exact match against the registration (a native app's loopback redirect with any port, RFC 8252 §7.3);
     * required when several are registered or for OpenID requests. Whether it was sent is remembered: then
     * the token request must repeat it (RFC 6749 §4.1.3).
     */
    static final class CheckRedirectUri implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String uri = d.params.get("redirect_uri");
            List<String> registered = d.client.redirectUris();
            if (uri == null) {
                Set<String> scopes = Scopes.parse(d.params.get("scope"));
                boolean openid = scopes != null && scopes.contains(Scopes.OPENID);
                if (registered.size() != 1 || openid) {
                    return Optional.of(page(ErrorCode.INVALID_REQUEST, "The redirect_uri parameter is missing.", "no redirect_uri"));
                }
                d.redirectUri = registered.get(0);
                return Optional.empty();
            }
            if (!d.client.hasRedirectUri(uri)) {
                return Optional.of(page(ErrorCode.INVALID_REQUEST, "The redirect_uri is not registered for this client.", "unregistered redirect_uri"));
            }
            d.redirectUri = uri;
            d.redirectUriSent = true;
            return Optional.empty();
        }
    }

    /** OIDC Core §6: request objects are not supported (use PAR instead). */
    static final class RejectRequestObjects implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            if (d.params.get("request") != null) {
                return Optional.of(new AuthorizationError(ErrorCode.INVALID_REQUEST, "Request objects are not supported; use pushed authorization requests.",
                        d.redirectUri, d.params.get("state"), "request object"));
            }
            return Optional.empty();
        }
    }

    /** OAuth 2.1: only the authorization code flow. */
    static final class CheckResponseType implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String rt = d.params.get("response_type");
            if (rt == null) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "The response_type parameter is missing.");
            }
            return rt.equals("code") ? Optional.empty() : toClient(d, ErrorCode.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported.");
        }
    }

    static final class CheckResponseMode implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String rm = d.params.get("response_mode");
            return rm == null || rm.equals("query") ? Optional.empty()
                    : toClient(d, ErrorCode.INVALID_REQUEST, "Only response_mode=query is supported.");
        }
    }

    static final class CheckGrantAllowed implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            return d.client.allows(GrantType.AUTHORIZATION_CODE) ? Optional.empty()
                    : toClient(d, ErrorCode.UNAUTHORIZED_CLIENT, "This client may not use the authorization code flow.");
        }
    }

    /** RFC 9126 §6: a client registered to require PAR must push its requests. */
    static final class CheckPar implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            return d.client.requirePar() && !d.pushed
                    ? toClient(d, ErrorCode.INVALID_REQUEST, "This client must use pushed authorization requests.")
                    : Optional.empty();
        }
    }

    /** PKCE with S256 for every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1): no plain, no downgrade. */
    static final class CheckPkce implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String challenge = d.params.get("code_challenge");
            String method = d.params.get("code_challenge_method");
            if (challenge == null) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "PKCE is required: send code_challenge with code_challenge_method=S256.");
            }
            if (!"S256".equals(method)) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "code_challenge_method must be S256.");
            }
            if (!S256_CHALLENGE.matcher(challenge).matches()) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "code_challenge must be the base64url SHA-256 of the verifier (43 characters).");
            }
            return Optional.empty();
        }
    }

    /**
     * Latchkey's {@code organization} parameter: {@code organization=<org id or slug>}, or the scope value
     * {@code organization:<org id or slug>} (taken out of the scope; the tokens' {@code scope} never carries it).
     * Only its form is checked here; whether the user is a member is decided once the user is known (not a
     * member, or no such organization: {@code access_denied}).
     */
    static final class CheckOrganization implements Check {
        static final String SCOPE_PREFIX = "organization:";

        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String param = d.params.get("organization");
            String fromScope = null;
            if (d.scopeParam != null && d.scopeParam.contains(SCOPE_PREFIX)) {
                StringBuilder rest = new StringBuilder();
                for (String s : d.scopeParam.strip().split(" +")) {
                    if (s.startsWith(SCOPE_PREFIX)) {
                        if (fromScope != null) {
                            return toClient(d, ErrorCode.INVALID_REQUEST, "Name at most one organization (scope organization:<id or slug>).");
                        }
                        fromScope = s.substring(SCOPE_PREFIX.length());
                    } else {
                        rest.append(rest.isEmpty() ? "" : " ").append(s);
                    }
                }
                d.scopeParam = rest.isEmpty() ? null : rest.toString();
            }
            if (param != null && fromScope != null && !param.equals(fromScope)) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "The organization parameter and the organization: scope name different organizations.");
            }
            String org = param != null ? param : fromScope;
            if (org == null) {
                return Optional.empty();
            }
            if (!isOrgId(org) && !dev.latchkey.core.org.OrgSlug.valid(org)) {
                return toClient(d, ErrorCode.INVALID_REQUEST,
                        "organization must be an organization's id (a UUID) or its slug (lower-case letters, digits and hyphens).");
            }
            d.organization = org;
            return Optional.empty();
        }

        private static boolean isOrgId(String s) {
            try {
                return java.util.UUID.fromString(s).toString().equalsIgnoreCase(s);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    static final class CheckScope implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            Set<String> requested = Scopes.parse(d.scopeParam);
            if (requested == null) {
                return toClient(d, ErrorCode.INVALID_SCOPE, "The scope parameter is malformed.");
            }
            if (requested.isEmpty()) {
                requested = new LinkedHashSet<>(d.client.scopes());
                requested.remove(Scopes.OFFLINE_ACCESS);
            }
            for (String s : requested) {
                if (!d.client.scopes().contains(s)) {
                    return toClient(d, ErrorCode.INVALID_SCOPE, "The scope '" + s + "' is not allowed for this client.");
                }
            }
            d.scopes = requested;
            return Optional.empty();
        }
    }

    /**
     * OIDC Core §3.1.2.1: {@code acr_values}, space-separated, in order of preference. Values Latchkey
     * does not know are ignored (the request is voluntary); the known ones are kept.
     */
    static Set<String> acrValues(String raw) {
        if (raw == null || raw.isBlank()) {
            return Set.of();
        }
        Set<String> known = new java.util.LinkedHashSet<>();
        for (String v : raw.strip().split(" +")) {
            for (dev.latchkey.core.authn.Acr a : dev.latchkey.core.authn.Acr.values()) {
                if (a.wireName().equals(v)) {
                    known.add(v);
                }
            }
        }
        return known;
    }

    /** OIDC Core §3.1.2.1: prompt values; none may not be combined with any other. */
    static final class CheckPrompt implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            Set<String> p = Scopes.parse(d.params.get("prompt"));
            if (p == null || !PROMPTS.containsAll(p)) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "prompt may contain none, login, consent or select_account.");
            }
            if (p.contains("none") && p.size() > 1) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "prompt=none cannot be combined with other values.");
            }
            d.prompt = p;
            return Optional.empty();
        }
    }

    static final class CheckMaxAge implements Check {
        @Override
        public Optional<AuthorizationError> apply(Draft d) {
            String m = d.params.get("max_age");
            if (m == null) {
                return Optional.empty();
            }
            try {
                int v = Integer.parseInt(m);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                d.maxAge = v;
                return Optional.empty();
            } catch (NumberFormatException e) {
                return toClient(d, ErrorCode.INVALID_REQUEST, "max_age must be a non-negative number of seconds.");
            }
        }
    }
}
