package dev.latchkey.server.oidc;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientStore;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.core.oauth.token.IdTokenHints;
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
import java.util.Optional;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's session and
 * every grant started from it, then returns to a post-logout URI only if the client registered it
 * exactly. Without an {@code id_token_hint} naming the current session the user is asked first,
 * so a cross-site link cannot sign anyone out.
 */
public final class LogoutEndpoint implements Endpoints {
    private final HostedPages hosted;
    private final IdTokenHints hints;
    private final ClientStore clients;
    private final OAuthRequests requests;
    private final Pages pages;
    private final Csrf csrf;

    public LogoutEndpoint(HostedPages hosted, IdTokenHints hints, ClientStore clients, OAuthRequests requests, Pages pages, Csrf csrf) {
        this.hosted = hosted;
        this.hints = hints;
        this.clients = clients;
        this.requests = requests;
        this.pages = pages;
        this.csrf = csrf;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(OidcPaths.LOGOUT, this::logout);
        r.post(OidcPaths.LOGOUT, this::logout);
    }

    void logout(Context ctx) {
        boolean post = "POST".equals(ctx.method().name());
        RawParams p;
        try {
            p = requests.queryOrForm(ctx);
        } catch (LatchkeyException e) {
            error(ctx, e.publicMessage());
            return;
        }
        try {
            OAuthRequests.rejectDuplicates(p, "id_token_hint", "client_id", "post_logout_redirect_uri", "state");
        } catch (LatchkeyException e) {
            error(ctx, e.publicMessage());
            return;
        }
        String hintToken = p.get("id_token_hint");
        Optional<IdTokenHints.Hint> hint = Optional.empty();
        if (hintToken != null) {
            hint = hints.read(hintToken);
            if (hint.isEmpty()) {
                error(ctx, "The id_token_hint is not a valid ID token from this server.");
                return;
            }
        }
        String clientId = p.get("client_id");
        if (hint.isPresent()) {
            String aud = hint.get().audience().get(0);
            if (clientId != null && !hint.get().audience().contains(clientId)) {
                error(ctx, "client_id does not match the id_token_hint.");
                return;
            }
            clientId = clientId == null ? aud : clientId;
        }
        String target = p.get("post_logout_redirect_uri");
        if (target != null) {
            Optional<Client> c = clientId == null ? Optional.empty() : clients.find(clientId);
            if (c.isEmpty() || !c.get().postLogoutRedirectUris().contains(target)) {
                error(ctx, "The post_logout_redirect_uri is not registered for this client.");
                return;
            }
        }
        Optional<Session> current = hosted.currentSession(ctx);
        boolean confirmed = post && "yes".equals(p.get("confirm")) && csrf.valid(ctx, p.get("csrf"));
        boolean hintMatches = current.isPresent() && hint.isPresent() && current.get().id().toString().equals(hint.get().sessionId());
        if (current.isPresent() && !hintMatches && !confirmed) {
            pages.render(ctx, 200, "logout.jte", new PageModels.LogoutConfirm(csrf.token(ctx), hintToken, p.get("client_id"), target, p.get("state")));
            return;
        }
        hosted.endCurrentSession(ctx);
        if (target != null) {
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(new RedirectUrl(target).param("state", p.get("state")).toString(), post ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
            return;
        }
        pages.render(ctx, 200, "notice.jte", new PageModels.Notice("Signed out", "You are signed out. You can close this window."));
    }

    private void error(Context ctx, String message) {
        pages.render(ctx, 400, "error.jte", new PageModels.ErrorPage("Sign-out failed", message, HttpApp.trace(ctx).traceId()));
    }
}
