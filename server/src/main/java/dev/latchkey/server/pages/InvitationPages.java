package dev.latchkey.server.pages;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.invite.Invitation;
import dev.latchkey.core.org.invite.Invitations;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The hosted page behind the mailed invitation link: {@code GET /invitations/accept?token=…} asks a signed-in user to
 * accept (a visitor is sent to sign in or sign up, and comes back); {@code POST} (CSRF-checked form) accepts with the
 * same rules as the first-party API: only the invited address, at most once.
 */
public final class InvitationPages implements Endpoints {
    static final String PATH = "/invitations/accept";

    /** The page's model. */
    public record Offer(String csrf, String token, String organization, String email, List<String> roles) {
    }

    private final Invitations invitations;
    private final UserStore users;
    private final HostedPages hosted;
    private final SignInPages signIn;
    private final Pages pages;
    private final Csrf csrf;
    private final Requests requests;

    public InvitationPages(Invitations invitations, UserStore users, HostedPages hosted, SignInPages signIn, Pages pages, Csrf csrf,
                           Requests requests) {
        this.invitations = invitations;
        this.users = users;
        this.hosted = hosted;
        this.signIn = signIn;
        this.pages = pages;
        this.csrf = csrf;
        this.requests = requests;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(PATH, signIn.page(this::show));
        r.post(PATH, signIn.page(this::accept));
    }

    void show(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        String token = Forms.query(ctx, "token", 200);
        Invitations.Offer offer = invitations.offer(token);
        Optional<User> user = signedIn(ctx);
        if (user.isEmpty()) {
            String back = PATH + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            ctx.redirect("/login?return_to=" + URLEncoder.encode(back, StandardCharsets.UTF_8), HttpStatus.FOUND);
            return;
        }
        if (!offer.invitation().email().equalsIgnoreCase(user.get().email().value())) {
            throw LatchkeyException.of(ErrorCode.INVITATION_WRONG_EMAIL, "invitation page for another address");
        }
        Invitation i = offer.invitation();
        pages.render(ctx, 200, "invitation.jte", new Offer(csrf.token(ctx), token, offer.organization(), i.email(), i.roles()));
    }

    void accept(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String token = Forms.field(ctx, "token", 200);
        if (!csrf.valid(ctx, Forms.single(ctx, "csrf"))) {
            throw LatchkeyException.withMessage(ErrorCode.CSRF_FAILED, "Your form expired. Open the invitation link again.", "invitation form csrf");
        }
        User user = signedIn(ctx).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.UNAUTHENTICATED,
                "Sign in first, then open the invitation link again.", "invitation accept without session"));
        Invitations.Offer offer = invitations.offer(token);
        invitations.accept(token, user.id(), user.email(), requests.context(ctx));
        pages.render(ctx, 200, "notice.jte", new PageModels.Notice("Welcome to " + offer.organization(),
                "You are now a member of " + offer.organization() + "."));
    }

    private Optional<User> signedIn(Context ctx) {
        return hosted.currentSession(ctx).map(Session::userId).flatMap(users::findById);
    }
}
