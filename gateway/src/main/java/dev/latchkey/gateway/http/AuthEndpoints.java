package dev.latchkey.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.gateway.assertion.AssertionSigner;
import dev.latchkey.gateway.login.LoginFlows;
import dev.latchkey.gateway.login.OrganizationParam;
import dev.latchkey.gateway.login.ReturnTo;
import dev.latchkey.gateway.oidc.OidcClient;
import dev.latchkey.gateway.oidc.TokenResult;
import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.Resolution;
import dev.latchkey.gateway.session.SessionService;
import dev.latchkey.gateway.session.UserClaims;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's own endpoints under {@code /auth}: login, callback, logout, me, verify and the assertion JWKS. */
public final class AuthEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AuthEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OidcClient oidc;
    private final LoginFlows flows;
    private final SessionService sessions;
    private final AssertionSigner assertions;
    private final String defaultPage;

    /** Step-up {@code acr} values: up to four space-separated tokens of safe characters. */
    private static final java.util.regex.Pattern ACR = java.util.regex.Pattern.compile("[A-Za-z0-9:._-]{1,100}( [A-Za-z0-9:._-]{1,100}){0,3}");

    public AuthEndpoints(OidcClient oidc, LoginFlows flows, SessionService sessions, AssertionSigner assertions, String defaultPage) {
        this.oidc = oidc;
        this.flows = flows;
        this.sessions = sessions;
        this.assertions = assertions;
        this.defaultPage = defaultPage;
    }

    /**
     * {@code GET /auth/login?returnTo=/path[&acr=…][&idp=github][&organization=acme]}: starts authorization code + PKCE (RFC 6749 §4.1.1,
     * RFC 7636 §4.3). With {@code acr} (e.g. {@code urn:latchkey:acr:mfa}) it is a step-up: the server is asked for that
     * class through {@code acr_values}, and the new session's assertion carries the resulting {@code acr}/{@code amr}.
     * A malformed {@code acr} is a 400. {@code idp} is passed through to the server's authorization endpoint (a
     * malformed one is dropped). {@code organization} (an organization's id or slug) is passed through too: the session's
     * tokens are for that organization, and a user of several is not shown the server's chooser; a malformed one is a
     * 400 {@code invalid_organization}, and one the user is not a member of ends at the server with {@code access_denied}.
     */
    public void login(Context ctx) {
        String returnTo = ReturnTo.sanitize(ctx.queryParam("returnTo"), defaultPage);
        String acr = ctx.queryParam("acr");
        if (acr != null && !ACR.matcher(acr).matches()) {
            throw new dev.latchkey.gateway.GatewayException(dev.latchkey.gateway.GatewayError.MALFORMED_REQUEST,
                    "acr must be space-separated URNs or names of letters, digits and : . _ -");
        }
        String idp = ctx.queryParams("idp").size() == 1 && ctx.queryParam("idp").matches("[a-z][a-z0-9]{0,31}") ? ctx.queryParam("idp") : null;
        String organization = OrganizationParam.parse(ctx.queryParams("organization")).orElse(null);
        LoginFlows.Started f = flows.start(returnTo);
        URI authorize = oidc.authorizationUrl(f.state(), f.nonce(), f.codeChallenge(), idp, acr == null || acr.isBlank() ? null : acr.strip(),
                organization);
        Cookies.set(ctx, Cookies.flowName(f.state()), f.binding(), LoginFlows.LIFETIME);
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(authorize.toString(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /**
     * {@code GET /auth/callback}: the flow must exist, be unused and belong to this browser (RFC 6749 §10.12); the
     * response's {@code iss} must be the issuer (RFC 9207 §2.4); an {@code error} response (RFC 6749 §4.1.2.1) or any
     * failed check sends the browser back to sign in, with no session. Success: a fresh session, 303 to returnTo.
     */
    public void callback(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String flowCookie = Cookies.flowName(ctx.queryParam("state"));
        if (flowCookie != null) {
            Cookies.clear(ctx, flowCookie);
        }
        Optional<LoginFlows.Flow> flow = flowCookie == null ? Optional.empty()
                : flows.consume(ctx.queryParam("state"), Cookies.read(ctx, flowCookie));
        if (flow.isEmpty()) {
            LOG.info("callback refused: missing, unknown, replayed or foreign state");
            backToLogin(ctx, defaultPage);
            return;
        }
        String returnTo = flow.get().returnTo();
        String iss = ctx.queryParam("iss");
        if (iss == null || !iss.equals(oidc.metadata().issuer())) {
            LOG.info("callback refused: iss {} is not the issuer (RFC 9207)", iss == null ? "missing" : "mismatched");
            backToLogin(ctx, returnTo);
            return;
        }
        if (ctx.queryParam("error") != null) {
            LOG.info("callback: the server answered error={}", ctx.queryParam("error"));
            backToLogin(ctx, returnTo);
            return;
        }
        String code = ctx.queryParam("code");
        if (code == null || code.isEmpty()) {
            backToLogin(ctx, returnTo);
            return;
        }
        TokenResult r = oidc.exchangeCode(code, flow.get().verifier());
        if (!(r instanceof TokenResult.Issued issued) || issued.idToken().isEmpty()) {
            LOG.info("callback: code exchange refused ({})", r instanceof TokenResult.Refused f ? f.error() : "no id_token");
            backToLogin(ctx, returnTo);
            return;
        }
        IDTokenClaimsSet id;
        try {
            id = oidc.validateIdToken(issued.idToken().get(), flow.get().nonce());
        } catch (GatewayException e) {
            if (e.error() != GatewayError.UNAUTHENTICATED) {
                throw e;
            }
            LOG.warn("callback: {}", e.getMessage());
            backToLogin(ctx, returnTo);
            return;
        }
        String old = Cookies.read(ctx, Cookies.SESSION);
        if (old != null) {
            sessions.end(old);                        // a fresh session id at every login
        }
        String cookie = sessions.create(id, issued);
        Cookies.set(ctx, Cookies.SESSION, cookie, null);
        LOG.info("signed in sub={}", id.getSubject().getValue());
        ctx.redirect(returnTo, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The sign-in page with an explanation; never a session. */
    private void backToLogin(Context ctx, String returnTo) {
        ctx.status(400).contentType("text/html; charset=utf-8").result("""
                <!doctype html><html><head><meta charset="utf-8"><title>Sign in</title></head><body>
                <p>Your sign-in did not complete or has expired.</p>
                <p><a id="sign-in" href="/auth/login?returnTo=%s">Sign in again</a></p></body></html>"""
                .formatted(URLEncoder.encode(returnTo, StandardCharsets.UTF_8)));
    }

    /**
     * {@code POST /auth/logout}: revokes the refresh token (RFC 7009 §2.1), deletes the session, clears the cookie and
     * answers {@code {"logout_url": …}} (OIDC RP-Initiated Logout §2), or 303 to it for an HTML form post.
     */
    public void logout(Context ctx) {
        Optional<GatewaySession> s = sessions.end(Cookies.read(ctx, Cookies.SESSION));
        Cookies.clear(ctx, Cookies.SESSION);
        ctx.header("Cache-Control", "no-store");
        boolean html = Optional.ofNullable(ctx.header("Accept")).orElse("").contains("text/html");
        if (s.isEmpty()) {
            if (html) {
                ctx.redirect(defaultPage, io.javalin.http.HttpStatus.SEE_OTHER);
            } else {
                Problems.write(ctx, GatewayError.UNAUTHENTICATED);
            }
            return;
        }
        s.get().tokens().refreshToken().ifPresent(rt -> {
            try {
                if (!oidc.revokeRefreshToken(rt)) {
                    LOG.warn("logout: the server did not confirm the revocation of session {}", s.get().logTag());
                }
            } catch (GatewayException e) {
                // the gateway session is gone either way; the grant ends at the server when its refresh token expires
                LOG.warn("logout: revoking the refresh token of session {} failed: {}", s.get().logTag(), e.getMessage());
            }
        });
        String url = oidc.endSessionUrl(s.get().tokens().idToken()).map(URI::toString).orElse(defaultPage);
        if (html) {
            ctx.redirect(url, io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            ctx.json(JSON.createObjectNode().put("logout_url", url));
        }
    }

    /**
     * {@code POST /auth/org} with {@code {"org_id": "…"}} (JSON) or {@code org_id=…} (form): switches the session to
     * another of the user's organizations without signing in again; answers the new claims like {@code /auth/me}
     * (403 {@code not_a_member} when the user is not in it; the session goes on unchanged). An HTML form post (form
     * body, {@code Accept: text/html}) is answered 303 to its {@code returnTo} field (a local path; else the default page).
     */
    public void switchOrganization(Context ctx, Resolution r) {
        ctx.header("Cache-Control", "no-store");
        if (!(r instanceof Resolution.Active a)) {
            Problems.write(ctx, GatewayError.UNAUTHENTICATED);
            return;
        }
        String org;
        boolean json = Optional.ofNullable(ctx.contentType()).orElse("").startsWith("application/json");
        boolean html = !json && Optional.ofNullable(ctx.header("Accept")).orElse("").contains("text/html");
        try {
            org = json
                    ? Optional.ofNullable(JSON.readTree(ctx.body()).path("org_id").textValue()).orElse("")
                    : Optional.ofNullable(ctx.formParam("org_id")).orElse("");
        } catch (java.io.IOException e) {
            Problems.write(ctx, GatewayError.MALFORMED_REQUEST);
            return;
        }
        if (org.isBlank() || org.length() > 64) {
            Problems.write(ctx, GatewayError.NOT_A_MEMBER);
            return;
        }
        try {
            Optional<GatewaySession> switched = sessions.switchOrganization(a.session(), org.strip());
            if (switched.isEmpty()) {
                Cookies.clear(ctx, Cookies.SESSION);
                Problems.write(ctx, GatewayError.SESSION_EXPIRED);
                return;
            }
            if (html) {
                ctx.redirect(ReturnTo.sanitize(ctx.formParam("returnTo"), defaultPage), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            ctx.contentType("application/json").result(claims(switched.get().user()).toString());
        } catch (GatewayException e) {
            LOG.info("org switch of session {}: {}", a.session().logTag(), e.getMessage());
            Problems.write(ctx, e.error());
        }
    }

    /**
     * {@code GET /auth/orgs}: the user's organizations, {@code {"orgs":[{"id","name","slug","roles","current"}]}}, from the
     * server's {@code /api/auth/orgs} with the session's access token; {@code current} marks the session's. A token the
     * server refuses is refreshed once (like a relayed one an API refused); a session that cannot be refreshed is over.
     */
    public void organizations(Context ctx, Resolution r) {
        ctx.header("Cache-Control", "no-store");
        if (!(r instanceof Resolution.Active a)) {
            Problems.write(ctx, r instanceof Resolution.Ended ? GatewayError.SESSION_EXPIRED : GatewayError.UNAUTHENTICATED);
            return;
        }
        Optional<java.util.List<dev.latchkey.gateway.oidc.UserOrganization>> orgs = oidc.organizations(a.session().tokens().accessToken());
        if (orgs.isEmpty()) {
            Optional<GatewaySession> fresh = sessions.refreshAfterRejection(a.session());
            orgs = fresh.flatMap(s -> oidc.organizations(s.tokens().accessToken()));
            if (orgs.isEmpty()) {
                LOG.info("orgs of session {}: the server refused its token after a refresh", a.session().logTag());
                Cookies.clear(ctx, Cookies.SESSION);
                Problems.write(ctx, GatewayError.SESSION_EXPIRED);
                return;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        var list = out.putArray("orgs");
        for (var o : orgs.get()) {
            ObjectNode n = list.addObject().put("id", o.id()).put("name", o.name()).put("slug", o.slug());
            o.roles().forEach(n.putArray("roles")::add);
            n.put("current", o.current());
        }
        ctx.contentType("application/json").result(out.toString());
    }

    /** {@code GET /auth/me}: the user's claims, or 401. */
    public void me(Context ctx, Resolution r) {
        ctx.header("Cache-Control", "no-store");
        if (!(r instanceof Resolution.Active a)) {
            Problems.write(ctx, GatewayError.UNAUTHENTICATED);
            return;
        }
        ctx.contentType("application/json").result(claims(a.session().user()).toString());
    }

    /**
     * {@code /auth/verify}: forward auth (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth): 200 with
     * identity headers, or 401.
     */
    public void verify(Context ctx, Resolution r) {
        ctx.header("Cache-Control", "no-store");
        if (!(r instanceof Resolution.Active a)) {
            ctx.status(401).result("");
            return;
        }
        UserClaims u = a.session().user();
        ctx.header("X-Latchkey-User", u.sub());
        u.email().ifPresent(e -> ctx.header("X-Latchkey-Email", e));
        u.name().ifPresent(n -> ctx.header("X-Latchkey-Name", URLEncoder.encode(n, StandardCharsets.UTF_8).replace("+", "%20")));
        u.org().ifPresent(o -> ctx.header("X-Latchkey-Org", o));
        ctx.header("X-Latchkey-Roles", String.join(",", u.roles()));
        ctx.header(AssertionSigner.HEADER, assertions.sign(u));
        ctx.status(200).result("");
    }

    /** {@code GET /auth/jwks.json}: the assertion's public keys (RFC 7517 §5). */
    public void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/jwk-set+json").result(assertions.jwks());
    }

    static ObjectNode claims(UserClaims u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sub", u.sub());
        u.email().ifPresent(e -> n.put("email", e));
        n.put("email_verified", u.emailVerified());
        u.name().ifPresent(v -> n.put("name", v));
        u.org().ifPresent(v -> n.put("org", v));
        u.roles().forEach(n.putArray("roles")::add);
        if (u.roles().isEmpty()) {
            n.putArray("roles");
        }
        u.access().permissions().forEach(n.putArray("permissions")::add);
        u.access().acr().ifPresent(v -> n.put("acr", v));
        u.access().amr().forEach(n.putArray("amr")::add);
        u.access().authTime().ifPresent(v -> n.put("auth_time", v.getEpochSecond()));
        return n;
    }
}
