package dev.latchkey.server.oidc;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.authorize.AuthorizationError;
import dev.latchkey.core.oauth.authorize.AuthorizationService;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.pages.Csrf;
import dev.latchkey.server.pages.HostedPages;
import dev.latchkey.server.pages.PageModels;
import dev.latchkey.server.pages.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2) and the consent page. It parses
 * the request, asks {@link AuthorizationService} what to do, and renders that: a redirect to the
 * hosted sign-in or consent page (carrying only an opaque request_uri), the code or error back to
 * the registered redirect URI with {@code iss} (RFC 9207), or an error page when the client or
 * redirect URI cannot be trusted.
 */
public final class AuthorizeEndpoint implements Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeEndpoint.class);
    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "openid", "Know who you are (your user id)",
            "profile", "See your name",
            "email", "See your e-mail address",
            "offline_access", "Stay signed in while you are away");

    private final AuthorizationService service;
    private final HostedPages hosted;
    private final OAuthRequests requests;
    private final Pages pages;
    private final Csrf csrf;
    private final String issuer;

    public AuthorizeEndpoint(AuthorizationService service, HostedPages hosted, OAuthRequests requests, Pages pages, Csrf csrf, String issuer) {
        this.service = service;
        this.hosted = hosted;
        this.requests = requests;
        this.pages = pages;
        this.csrf = csrf;
        this.issuer = issuer;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(OidcPaths.AUTHORIZE, this::authorize);
        r.post(OidcPaths.AUTHORIZE, this::authorize);
        r.get(OidcPaths.CONSENT, this::consentPage);
        r.post(OidcPaths.CONSENT, this::consent);
    }

    void authorize(Context ctx) {
        RawParams params;
        try {
            params = requests.queryOrForm(ctx);
        } catch (LatchkeyException e) {
            errorPage(ctx, new AuthorizationError(ErrorCode.INVALID_REQUEST, e.publicMessage(), null, null, e.getMessage()));
            return;
        }
        switch (service.start(params)) {
            case AuthorizationService.Failed(AuthorizationError e) -> fail(ctx, e);
            case AuthorizationService.Ok(AuthorizationService.Started s) -> proceed(ctx, s, idpHint(params));
        }
    }

    /**
     * Latchkey's {@code idp} authorization parameter (docs/identity-providers.md): when the user must sign in,
     * go straight to that upstream provider instead of the sign-in page. Ignored when malformed.
     */
    private static String idpHint(RawParams params) {
        String idp = params.get("idp");
        return idp != null && idp.matches(dev.latchkey.core.identity.IdentityProvider.NAME_PATTERN) ? idp : null;
    }

    private void proceed(Context ctx, AuthorizationService.Started s) {
        proceed(ctx, s, null);
    }

    private void proceed(Context ctx, AuthorizationService.Started s, String idp) {
        Optional<Session> browser = hosted.currentSession(ctx);
        switch (service.decide(s, browser)) {
            case AuthorizationService.SignIn(String uri, String hint, boolean forced) when idp != null ->
                    redirect(ctx, dev.latchkey.server.pages.FederationPages.startHref(idp, continuation(s, uri)));
            case AuthorizationService.SignIn(String uri, String hint, boolean forced) -> {
                String back = continuation(s, uri);
                RedirectUrl login = new RedirectUrl("/login").param("return_to", back);
                if (hint != null && hint.length() <= 320) {
                    login.param("login_hint", hint);
                }
                if (forced) {
                    login.param("prompt", "login");
                }
                redirect(ctx, login.toString());
            }
            case AuthorizationService.StepUp(String uri) -> redirect(ctx,
                    new RedirectUrl("/account/confirm").param("return_to", continuation(s, uri)).toString());
            case AuthorizationService.Consent(String uri, var scopes) -> redirect(ctx,
                    new RedirectUrl(OidcPaths.CONSENT).param("client_id", s.request().client().clientId()).param("request_uri", uri).toString());
            case AuthorizationService.ChooseOrganization(String uri, var choices) -> redirect(ctx,
                    new RedirectUrl(OrgChooserPage.PATH).param("client_id", s.request().client().clientId()).param("request_uri", uri).toString());
            case AuthorizationService.Issue(java.util.UUID org) -> {
                AuthorizationService.IssuedCode code = service.issueCode(s, browser.orElseThrow(), org);
                if (code.code() == null) {
                    fail(ctx, code.error());
                } else {
                    redirect(ctx, new RedirectUrl(s.request().redirectUri()).param("code", code.code()).param("state", s.request().state())
                            .param("iss", issuer).toString());
                }
            }
            case AuthorizationService.Refuse(AuthorizationError e) -> fail(ctx, e);
        }
    }

    void consentPage(Context ctx) {
        Optional<AuthorizationService.Started> s = resume(ctx, OAuthRequests.query(ctx));
        if (s.isEmpty()) {
            return;
        }
        Optional<Session> browser = hosted.currentSession(ctx);
        if (browser.isEmpty()) {
            proceed(ctx, s.get());
            return;
        }
        var req = s.get().request();
        List<String> lines = req.scopes().stream().map(x -> SCOPE_TEXT.getOrDefault(x, "Use the permission \u201c" + x + "\u201d")).toList();
        pages.render(ctx, 200, "consent.jte", new PageModels.ConsentForm(csrf.token(ctx), req.client().clientId(), req.client().name(),
                OAuthRequests.query(ctx).get("request_uri"), lines, hostOf(req.redirectUri())));
    }

    void consent(Context ctx) {
        RawParams form;
        try {
            form = requests.form(ctx);
        } catch (LatchkeyException e) {
            errorPage(ctx, new AuthorizationError(ErrorCode.INVALID_REQUEST, e.publicMessage(), null, null, e.getMessage()));
            return;
        }
        if (!csrf.valid(ctx, form.get("csrf"))) {
            errorPage(ctx, new AuthorizationError(ErrorCode.ACCESS_DENIED, "Your consent form expired. Please start again from the application.",
                    null, null, "consent csrf"));
            return;
        }
        Optional<AuthorizationService.Started> s = resume(ctx, form);
        if (s.isEmpty()) {
            return;
        }
        Optional<Session> browser = hosted.currentSession(ctx);
        if (browser.isEmpty()) {
            proceed(ctx, s.get());
            return;
        }
        if (!"allow".equals(form.get("decision"))) {
            fail(ctx, AuthorizationService.redirectError(s.get().request(), ErrorCode.ACCESS_DENIED, "The user denied the request."));
            return;
        }
        service.grantConsent(s.get(), browser.get());
        proceed(ctx, s.get());
    }

    private Optional<AuthorizationService.Started> resume(Context ctx, RawParams params) {
        String uri = params.get("request_uri");
        if (uri == null || !uri.startsWith(AuthorizationService.INTERACTION_PREFIX)) {
            errorPage(ctx, new AuthorizationError(ErrorCode.INVALID_REQUEST, "This page needs an authorization request.", null, null, "consent without request"));
            return Optional.empty();
        }
        return switch (service.start(params)) {
            case AuthorizationService.Failed(AuthorizationError e) -> {
                fail(ctx, e);
                yield Optional.empty();
            }
            case AuthorizationService.Ok(AuthorizationService.Started s) -> Optional.of(s);
        };
    }

    private static String continuation(AuthorizationService.Started s, String requestUri) {
        return new RedirectUrl(OidcPaths.AUTHORIZE).param("client_id", s.request().client().clientId()).param("request_uri", requestUri).toString();
    }

    private void fail(Context ctx, AuthorizationError e) {
        LOG.info("authorization refused: {} ({})", e.code().wireName(), e.detail());
        if (!e.redirectable()) {
            errorPage(ctx, e);
            return;
        }
        redirect(ctx, new RedirectUrl(e.redirectUri()).param("error", e.code().wireName()).param("error_description", e.description())
                .param("state", e.state()).param("iss", issuer).toString());
    }

    private void errorPage(Context ctx, AuthorizationError e) {
        pages.render(ctx, 400, "error.jte", new PageModels.ErrorPage("This sign-in request cannot continue",
                e.description() + " (" + e.code().wireName() + ")", HttpApp.trace(ctx).traceId()));
    }

    /** 303 after a POST (so the browser does not re-POST), 302 after a GET. */
    private static void redirect(Context ctx, String location) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(location, "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
    }

    private static String hostOf(String uri) {
        try {
            String h = java.net.URI.create(uri).getHost();
            return h == null ? uri : h;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }
}
