package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientStore;
import dev.latchkey.core.oauth.Scopes;
import dev.latchkey.core.session.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import dev.latchkey.core.org.OrgStore;
import java.util.UUID;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint's decisions: validate (or resume) a request, decide whether the user
 * must sign in or consent first, and issue the one-time code. A redirect after sign-in or consent
 * carries only an opaque {@code request_uri}; the validated request stays on the server.
 */
public final class AuthorizationService {
    public static final String PAR_PREFIX = "urn:ietf:params:oauth:request_uri:";
    public static final String INTERACTION_PREFIX = "urn:latchkey:authorize:";

    private final AuthorizationChecks checks;
    private final AuthorizationRequestStore pending;
    private final AuthorizationCodeStore codes;
    private final ConsentStore consents;
    private final ClientStore clients;
    private final Clock clock;
    private final Lifetimes lifetimes;
    private final OrgStore orgs;

    /** How long codes, pushed requests and pending interactions live. */
    public record Lifetimes(Duration code, Duration pushedRequest, Duration interaction) {
        public Lifetimes {
            if (code.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("authorization codes live at most 60 s");
            }
        }
    }

    public AuthorizationService(AuthorizationChecks checks, AuthorizationRequestStore pending, AuthorizationCodeStore codes,
                                ConsentStore consents, ClientStore clients, Clock clock, Lifetimes lifetimes) {
        this(checks, pending, codes, consents, clients, clock, lifetimes, null);
    }

    /**
     * @param orgs the organizations, for the {@code organization} parameter and the organization chooser; null: a
     *             grant always gets the user's oldest membership (and a request naming an organization is refused)
     */
    public AuthorizationService(AuthorizationChecks checks, AuthorizationRequestStore pending, AuthorizationCodeStore codes,
                                ConsentStore consents, ClientStore clients, Clock clock, Lifetimes lifetimes, OrgStore orgs) {
        this.orgs = orgs;
        this.checks = Objects.requireNonNull(checks, "checks");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
    }

    /** A request ready for a decision: validated now, or resumed from a stored one. */
    public record Started(AuthorizationRequest request, Instant createdAt, String requestUri, UUID chosenOrg, UUID chosenBy) {
        public Started(AuthorizationRequest request, Instant createdAt, String requestUri) {
            this(request, createdAt, requestUri, null, null);
        }
    }

    /** Outcome of starting. */
    public sealed interface Start permits Ok, Failed {
    }

    public record Ok(Started started) implements Start {
    }

    public record Failed(AuthorizationError error) implements Start {
    }

    /** Validates fresh parameters, or resumes the request named by {@code request_uri}. */
    public Start start(RawParams params) {
        String requestUri = params.get("request_uri");
        if (requestUri == null || params.duplicated("request_uri")) {
            AuthorizationChecks.Result r = checks.validate(params, false, null);
            return r.error() != null ? new Failed(r.error()) : new Ok(new Started(r.request(), clock.instant(), null));
        }
        Instant now = clock.instant();
        boolean par = requestUri.startsWith(PAR_PREFIX);
        if (!par && !requestUri.startsWith(INTERACTION_PREFIX)) {
            return new Failed(AuthorizationChecks.page(ErrorCode.INVALID_REQUEST_URI, "The request_uri is not one this server issued.", "foreign request_uri"));
        }
        byte[] hash = Digests.sha256(requestUri);
        // a pushed request is single-use (RFC 9126 §4); an interaction stays until it completes or expires
        Optional<PendingAuthorization> p = par ? pending.consume(hash, now) : pending.find(hash, now);
        if (p.isEmpty() || (par != p.get().pushed())) {
            return new Failed(AuthorizationChecks.page(ErrorCode.INVALID_REQUEST_URI, "This authorization request has expired or was already used. Start again from the application.",
                    "unknown, expired or used request_uri"));
        }
        PendingAuthorization pa = p.get();
        String clientId = params.get("client_id");
        if (clientId == null || !clientId.equals(pa.clientId())) {
            return new Failed(AuthorizationChecks.page(ErrorCode.INVALID_REQUEST, "client_id does not match the request.", "request_uri client mismatch"));
        }
        Optional<Client> client = clients.find(pa.clientId());
        if (client.isEmpty() || !client.get().hasRedirectUri(pa.redirectUri())) {
            return new Failed(AuthorizationChecks.page(ErrorCode.INVALID_CLIENT, "The client registration changed; start again from the application.",
                    "client or redirect removed"));
        }
        AuthorizationRequest req = new AuthorizationRequest(client.get(), pa.redirectUri(), pa.redirectUriSent(), Scopes.parse(pa.scope()),
                pa.state(), pa.nonce(),
                pa.codeChallenge(), pa.prompt() == null ? Set.of() : Scopes.parse(pa.prompt()), pa.maxAge(), pa.loginHint(), pa.pushed(),
                AuthorizationChecks.acrValues(pa.acrValues()), pa.organization());
        String resume = par ? null : requestUri;
        return new Ok(new Started(req, pa.createdAt(), resume, pa.chosenOrg(), pa.chosenBy()));
    }

    /** Validates and stores a pushed authorization request for an authenticated client (RFC 9126 §2). */
    public sealed interface Pushed permits PushedOk, PushedFailed {
    }

    public record PushedOk(String requestUri, long expiresIn) implements Pushed {
    }

    public record PushedFailed(AuthorizationError error) implements Pushed {
    }

    public Pushed push(Client client, RawParams params) {
        if (params.get("request_uri") != null) {
            return new PushedFailed(AuthorizationChecks.page(ErrorCode.INVALID_REQUEST, "request_uri is not allowed in a pushed request.", "nested request_uri"));
        }
        AuthorizationChecks.Result r = checks.validate(params, true, client);
        if (r.error() != null) {
            return new PushedFailed(r.error());
        }
        String uri = PAR_PREFIX + RandomTokens.token();
        save(uri, r.request(), clock.instant(), lifetimes.pushedRequest(), true);
        return new PushedOk(uri, lifetimes.pushedRequest().toSeconds());
    }

    /** What to do with a started request. */
    public sealed interface Decision permits SignIn, StepUp, Consent, ChooseOrganization, Issue, Refuse {
    }

    /**
     * The user belongs to several organizations and the request named none: let the user choose one of
     * {@code choices} (oldest membership first), then come back to {@code requestUri}.
     */
    public record ChooseOrganization(String requestUri, List<OrgStore.MemberOf> choices) implements Decision {
        public ChooseOrganization {
            choices = List.copyOf(choices);
        }
    }

    /**
     * The user is signed in, but the client asked for a multi-factor sign-in ({@code acr_values}) and the
     * session has one factor: confirm a second factor (or enrol one), then come back to {@code requestUri}.
     */
    public record StepUp(String requestUri) implements Decision {
    }

    /** The user must (re-)authenticate; come back to {@code requestUri} afterwards. */
    public record SignIn(String requestUri, String loginHint, boolean forced) implements Decision {
    }

    /** A third-party client needs the user's consent to {@code scopes}. */
    public record Consent(String requestUri, Set<String> scopes) implements Decision {
    }

    /** Everything is in place: issue the code, for organization {@code org} (null: the user's oldest membership, if any). */
    public record Issue(UUID org) implements Decision {
    }

    public record Refuse(AuthorizationError error) implements Decision {
    }

    public Decision decide(Started s, Optional<Session> browser) {
        AuthorizationRequest r = s.request();
        Instant now = clock.instant();
        boolean forceLogin = r.prompt().contains("login") || (r.maxAge() != null && r.maxAge() == 0);
        boolean signedIn = browser.isPresent();
        boolean fresh = signedIn
                && (!forceLogin || !browser.get().authTime().isBefore(s.createdAt()))
                && (r.maxAge() == null || r.maxAge() == 0 || !browser.get().authTime().plusSeconds(r.maxAge()).isBefore(now));
        if (!fresh) {
            if (r.prompt().contains("none")) {
                return new Refuse(redirectError(r, ErrorCode.LOGIN_REQUIRED, "The user is not signed in."));
            }
            return new SignIn(interaction(s), r.loginHint(), forceLogin || signedIn);
        }
        if (r.requiresMfa() && !Amr.parse(browser.get().amr()).contains(Amr.MFA)) {
            if (r.prompt().contains("none")) {
                return new Refuse(redirectError(r, ErrorCode.INTERACTION_REQUIRED, "The client asked for a second factor."));
            }
            return new StepUp(interaction(s));
        }
        if (!r.client().firstParty()) {
            ConsentStore.Consent c = consents.granted(browser.get().userId(), r.client().clientId());
            boolean covered = c != null && c.scopes().containsAll(r.scopes());
            boolean askedAgain = r.prompt().contains("consent") && (c == null || c.grantedAt().isBefore(s.createdAt()));
            if (!covered || askedAgain) {
                if (r.prompt().contains("none")) {
                    return new Refuse(redirectError(r, ErrorCode.CONSENT_REQUIRED, "The user has not consented to this client."));
                }
                return new Consent(interaction(s), r.scopes());
            }
        }
        return organization(s, browser.get());
    }

    /**
     * Which organization the grant is for: the one the request named, when the user is a member of it (otherwise,
     * or when it does not exist, {@code access_denied}: the two are not told apart); the one the user chose on the
     * chooser page; the only one; or, with several and no choice yet, the chooser ({@code prompt=none}: the oldest).
     */
    private Decision organization(Started s, Session browser) {
        AuthorizationRequest r = s.request();
        if (orgs == null) {
            return r.organization() == null ? new Issue(null)
                    : new Refuse(redirectError(r, ErrorCode.ACCESS_DENIED, "This server does not choose organizations at sign-in."));
        }
        UUID user = browser.userId();
        if (r.organization() != null) {
            return orgs.memberOrganization(user, r.organization())
                    .<Decision>map(o -> new Issue(o.id()))
                    .orElseGet(() -> new Refuse(redirectError(r, ErrorCode.ACCESS_DENIED,
                            "The signed-in user is not a member of the requested organization.")));
        }
        if (s.chosenOrg() != null && user.equals(s.chosenBy())) {
            return new Issue(s.chosenOrg());
        }
        if (r.prompt().contains("none")) {
            return new Issue(null);
        }
        List<OrgStore.MemberOf> mine = orgs.organizationsOf(user);
        if (mine.size() > 1) {
            return new ChooseOrganization(interaction(s), mine);
        }
        return new Issue(mine.isEmpty() ? null : mine.get(0).org().id());
    }

    /**
     * Records the organization the signed-in user chose for a pending request, only if the user is a member of
     * it (checked in the statement that records it). False for anything else: an id that is not one of the
     * user's organizations (or not an id at all), or a request that is gone.
     */
    public boolean chooseOrganization(Started s, Session browser, String orgId) {
        if (s.requestUri() == null || orgId == null) {
            return false;
        }
        UUID org;
        try {
            org = UUID.fromString(orgId.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return pending.chooseOrganization(Digests.sha256(s.requestUri()), org, browser.userId(), clock.instant());
    }

    /** Records the user's consent to the request's scopes. */
    public void grantConsent(Started s, Session browser) {
        consents.grant(browser.userId(), s.request().client().clientId(), s.request().scopes(), clock.instant());
    }

    /** Issues the one-time code (≤ 60 s) bound to client, redirect URI and PKCE challenge; completes the interaction. */
    public String issueCode(Started s, Session browser) {
        IssuedCode r = issueCode(s, browser, null);
        if (r.code() == null) {
            throw new IllegalStateException(r.error().detail());
        }
        return r.code();
    }

    /** A code ({@code error} null), or why none was issued ({@code code} null). */
    public record IssuedCode(String code, AuthorizationError error) {
    }

    /**
     * Issues the code for organization {@code org} (null: none chosen). The interaction is completed first, by the
     * one conditional UPDATE that consumes it, so that however many tabs or retries continue it at once, one gets
     * a code and the others the page that says it was already used. No code either when the user is no longer a
     * member of {@code org} (decided by the statement that stores the code): {@code access_denied} for the client.
     */
    public IssuedCode issueCode(Started s, Session browser, UUID org) {
        AuthorizationRequest r = s.request();
        Instant now = clock.instant();
        if (s.requestUri() != null && pending.consume(Digests.sha256(s.requestUri()), now).isEmpty()) {
            return new IssuedCode(null, AuthorizationChecks.page(ErrorCode.INVALID_REQUEST_URI,
                    "This authorization request has expired or was already used. Start again from the application.",
                    "interaction consumed meanwhile"));
        }
        String code = RandomTokens.token();
        if (!codes.save(Digests.sha256(code), new AuthorizationCode(r.client().clientId(), r.redirectUri(), r.redirectUriSent(), browser.userId(),
                browser.id(),
                Scopes.format(r.scopes()), r.nonce(), r.codeChallenge(), browser.authTime(), browser.amr(), now, now.plus(lifetimes.code()), org))) {
            return new IssuedCode(null, redirectError(r, ErrorCode.ACCESS_DENIED, "The signed-in user is not a member of the requested organization."));
        }
        return new IssuedCode(code, null);
    }

    /** An error for the client's redirect URI. */
    public static AuthorizationError redirectError(AuthorizationRequest r, ErrorCode code, String description) {
        return new AuthorizationError(code, description, r.redirectUri(), r.state(), description);
    }

    private String interaction(Started s) {
        if (s.requestUri() != null) {
            return s.requestUri();
        }
        String uri = INTERACTION_PREFIX + RandomTokens.token();
        save(uri, s.request(), s.createdAt(), lifetimes.interaction(), false);
        return uri;
    }

    private void save(String uri, AuthorizationRequest r, Instant createdAt, Duration ttl, boolean pushed) {
        pending.save(Digests.sha256(uri), new PendingAuthorization(r.client().clientId(), r.redirectUri(), r.redirectUriSent(),
                Scopes.format(r.scopes()),
                r.state(), r.nonce(), r.codeChallenge(), r.prompt().isEmpty() ? null : String.join(" ", r.prompt()), r.maxAge(),
                r.loginHint(), pushed, createdAt, createdAt.plus(ttl), r.acrValues().isEmpty() ? null : String.join(" ", r.acrValues()),
                r.organization(), null, null));
    }
}
