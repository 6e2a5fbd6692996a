package dev.latchkey.server.oidc;

import dev.latchkey.core.error.LatchkeyException;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organization chooser of the hosted sign-in (docs/authorization.md, "Choosing the organization at
 * sign-in"): shown by the authorization endpoint after sign-in, MFA and consent when the user belongs to
 * several organizations and the request named none. Choosing records the organization on the pending request
 * (only if the user is a member of it, in the statement that records it) and continues the authorization, whose
 * code, refresh family and tokens are then for that organization.
 */
public final class OrgChooserPage implements Endpoints {
    public static final String PATH = "/oauth2/organization";
    private static final Logger LOG = LoggerFactory.getLogger(OrgChooserPage.class);

    private final AuthorizationService service;
    private final HostedPages hosted;
    private final OAuthRequests requests;
    private final Pages pages;
    private final Csrf csrf;

    public OrgChooserPage(AuthorizationService service, HostedPages hosted, OAuthRequests requests, Pages pages, Csrf csrf) {
        this.service = service;
        this.hosted = hosted;
        this.requests = requests;
        this.pages = pages;
        this.csrf = csrf;
    }

    /** One organization on the page. */
    public record Choice(String id, String name, String slug) {
    }

    /** The page's model. */
    public record ChooserForm(String csrf, String clientId, String clientName, String requestUri, List<Choice> choices) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(PATH, this::page);
        r.post(PATH, this::choose);
    }

    void page(Context ctx) {
        RawParams q = OAuthRequests.query(ctx);
        Optional<AuthorizationService.Started> s = resume(ctx, q);
        if (s.isEmpty()) {
            return;
        }
        Optional<Session> browser = hosted.currentSession(ctx);
        if (browser.isPresent() && service.decide(s.get(), browser) instanceof AuthorizationService.ChooseOrganization c) {
            var req = s.get().request();
            List<Choice> choices = c.choices().stream().map(m -> new Choice(m.org().id().toString(), m.org().name(), m.org().slug())).toList();
            ctx.header("Cache-Control", "no-store");
            pages.render(ctx, 200, "org_chooser.jte", new ChooserForm(csrf.token(ctx), req.client().clientId(), req.client().name(),
                    s.get().requestUri(), choices));
            return;
        }
        // signed out meanwhile, or nothing to choose any more: the authorization endpoint decides what comes next
        continueAuthorization(ctx, s.get());
    }

    void choose(Context ctx) {
        RawParams form;
        try {
            form = requests.form(ctx);
        } catch (LatchkeyException e) {
            errorPage(ctx, 400, "This sign-in request cannot continue", e.publicMessage());
            return;
        }
        if (!csrf.valid(ctx, form.get("csrf"))) {
            errorPage(ctx, 403, "This page has expired", "Your form expired. Please start again from the application.");
            return;
        }
        Optional<AuthorizationService.Started> s = resume(ctx, form);
        if (s.isEmpty()) {
            return;
        }
        Optional<Session> browser = hosted.currentSession(ctx);
        if (browser.isEmpty()) {
            continueAuthorization(ctx, s.get());
            return;
        }
        if (!service.chooseOrganization(s.get(), browser.get(), form.get("org"))) {
            LOG.info("organization choice refused: user {} is not a member of {} (or the request is gone)", browser.get().userId(),
                    shorten(form.get("org")));
            errorPage(ctx, 403, "You cannot choose this organization",
                    "You are not a member of that organization. Go back and choose one of yours.");
            return;
        }
        continueAuthorization(ctx, s.get());
    }

    private Optional<AuthorizationService.Started> resume(Context ctx, RawParams params) {
        String uri = params.get("request_uri");
        if (uri == null || !uri.startsWith(AuthorizationService.INTERACTION_PREFIX)) {
            errorPage(ctx, 400, "This sign-in request cannot continue", "This page needs an authorization request. (invalid_request)");
            return Optional.empty();
        }
        return switch (service.start(params)) {
            case AuthorizationService.Failed f -> {
                errorPage(ctx, 400, "This sign-in request cannot continue", f.error().description() + " (" + f.error().code().wireName() + ")");
                yield Optional.empty();
            }
            case AuthorizationService.Ok(AuthorizationService.Started st) -> Optional.of(st);
        };
    }

    private static void continueAuthorization(Context ctx, AuthorizationService.Started s) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(new RedirectUrl(OidcPaths.AUTHORIZE).param("client_id", s.request().client().clientId())
                .param("request_uri", s.requestUri()).toString(), "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
    }

    private void errorPage(Context ctx, int status, String title, String message) {
        pages.render(ctx, status, "error.jte", new PageModels.ErrorPage(title, message, HttpApp.trace(ctx).traceId()));
    }

    private static String shorten(String s) {
        return s == null ? "nothing" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
