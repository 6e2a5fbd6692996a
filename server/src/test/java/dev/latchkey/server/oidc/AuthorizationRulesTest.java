package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Negative tests of every authorization and token rule, over real HTTP against a real server. */
class AuthorizationRulesTest {
    static OidcFixture fx;
    static String secret;
    static String otherSecret;
    static final String CB = "https://app.example.test/cb";

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of());
        secret = fx.register("""
                {"client_id":"app","redirect_uris":["https://app.example.test/cb","http://127.0.0.1/native"],"first_party":true,
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile email"}""").get("client_secret").asText();
        otherSecret = fx.register("""
                {"client_id":"other","redirect_uris":["https://other.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code"],"scope":"openid"}""").get("client_secret").asText();
        fx.register("""
                {"client_id":"spa","token_endpoint_auth_method":"none","redirect_uris":["https://spa.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid"}""");
        fx.register("""
                {"client_id":"cli","token_endpoint_auth_method":"none","application_type":"native","first_party":true,
                 "redirect_uris":["http://127.0.0.1/native","http://[::1]/native"],"grant_types":["authorization_code"],"scope":"openid"}""");
        singleSecret = fx.register("""
                {"client_id":"single","redirect_uris":["https://single.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code"],"scope":"profile"}""").get("client_secret").asText();
    }

    static String singleSecret;

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static String authorize(String client, String redirect, String extra) {
        return "/oauth2/authorize?response_type=code&client_id=" + client + (redirect == null ? "" : "&redirect_uri=" + RedirectUrl.enc(redirect))
                + "&scope=openid&state=st" + extra;
    }

    static String pkce(String verifier) {
        return "&code_challenge=" + OidcFixture.challenge(verifier) + "&code_challenge_method=S256";
    }

    static String basic(String id, String s) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + s).getBytes());
    }

    /** Signs in and returns a fresh code for app with the given verifier. */
    static String code(Http browser, String email, String verifier) {
        String back = fx.browse(browser, fx.base + authorize("app", CB, pkce(verifier)), email, CB);
        return OidcFixture.query(back).get("code");
    }

    static Http.Response redeem(String client, String sec, String code, String redirect, String verifier) {
        return new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=" + code + (redirect == null ? "" : "&redirect_uri=" + RedirectUrl.enc(redirect))
                        + (verifier == null ? "" : "&code_verifier=" + verifier), "Authorization", basic(client, sec));
    }

    @Test
    void untrustedClientOrRedirectUriGetsAnErrorPageNeverARedirect() {
        Http h = new Http(fx.base);
        String v = OidcFixture.verifier();
        for (String path : new String[] {
            authorize("nope", CB, pkce(v)),                                        // unknown client
            authorize("app", "https://evil.example/cb", pkce(v)),                 // unregistered
            authorize("app", CB + "/", pkce(v)),                                  // trailing slash
            authorize("app", CB + "?x=1", pkce(v)),                               // extra query
            authorize("app", "https://APP.example.test/cb", pkce(v)),             // case differs
            authorize("app", "http://app.example.test/cb", pkce(v)),              // scheme differs
            authorize("app", null, pkce(v)),                                      // openid requires redirect_uri
            "/oauth2/authorize?response_type=code&redirect_uri=" + RedirectUrl.enc(CB),   // no client_id
            authorize("app", CB, pkce(v)) + "&client_id=other",                  // duplicate client_id
        }) {
            Http.Response r = h.get(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.header("Location")).as(path).isNull();
            assertThat(r.header("Content-Type")).startsWith("text/html");
        }
        // a web client's loopback redirect matches exactly, port included
        Http.Response web = h.get(authorize("app", "http://127.0.0.1:51234/native", pkce(v)));
        assertThat(web.status()).isEqualTo(400);
        assertThat(web.header("Location")).isNull();
        assertThat(h.get(authorize("app", "http://127.0.0.1/native", pkce(v))).status()).isEqualTo(302);
        // a native app's may use any port (RFC 8252 §7.3)
        for (String loopback : new String[] {"http://127.0.0.1:51234/native", "http://[::1]:8080/native", "http://127.0.0.1/native"}) {
            Http.Response loop = h.get(authorize("cli", loopback, pkce(v)));
            assertThat(loop.status()).as(loopback).isEqualTo(302);
            assertThat(loop.header("Location")).startsWith("/login");
        }
        // but nothing else
        for (String other : new String[] {"http://127.0.0.1:51234/other", "http://localhost:51234/native", "http://127.0.0.1:51234/native?x"}) {
            assertThat(h.get(authorize("cli", other, pkce(v))).status()).as(other).isEqualTo(400);
        }
    }

    /** RFC 8252 §7.3 end to end: the code is bound to the port the app listened on, and redeemed with exactly that URI. */
    @Test
    void aNativeAppSignsInOnAnEphemeralLoopbackPort() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String redirect = "http://127.0.0.1:49152/native";
        String back = fx.browse(new Http(fx.base), fx.base + authorize("cli", redirect, pkce(v)), email, redirect);
        String code = OidcFixture.query(back).get("code");
        assertThat(publicRedeem("cli", code, "http://127.0.0.1:49153/native", v).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(publicRedeem("cli", code, "http://127.0.0.1/native", v).json().get("error").asText()).isEqualTo("invalid_grant");
        Http.Response ok = publicRedeem("cli", code, redirect, v);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    static Http.Response publicRedeem(String client, String code, String redirect, String verifier) {
        return new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=" + client + "&code=" + code + "&redirect_uri=" + RedirectUrl.enc(redirect)
                        + "&code_verifier=" + verifier);
    }

    /** RFC 6749 §4.1.3: redirect_uri is REQUIRED at the token endpoint when the authorization request included it. */
    @Test
    void aCodeWhoseAuthorizationRequestCarriedRedirectUriNeedsItAgain() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String code = code(new Http(fx.base), email, v);
        Http.Response missing = redeem("app", secret, code, null, v);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(missing.json().get("error_description").asText()).contains("redirect_uri");
        // refused without being consumed: with it, the code still works once
        assertThat(redeem("app", secret, code, CB, v).status()).isEqualTo(200);

        // a request that left redirect_uri out (one registered, no openid) may leave it out here too
        String v2 = OidcFixture.verifier();
        String single = "https://single.example.test/cb";
        String path = "/oauth2/authorize?response_type=code&client_id=single&scope=profile&state=st";
        String code2 = OidcFixture.query(fx.browse(new Http(fx.base), fx.base + path + pkce(v2), email, single)).get("code");
        Http.Response omitted = redeem("single", singleSecret, code2, null, v2);
        assertThat(omitted.status()).as(omitted.body()).isEqualTo(200);
        // and one that sent it, the same client, must send it again
        String v3 = OidcFixture.verifier();
        String code3 = OidcFixture.query(fx.browse(new Http(fx.base), fx.base + path + pkce(v3) + "&redirect_uri=" + RedirectUrl.enc(single),
                email, single)).get("code");
        assertThat(redeem("single", singleSecret, code3, null, v3).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(redeem("single", singleSecret, code3, single, v3).status()).isEqualTo(200);
    }

    @Test
    void errorsAfterTheRedirectUriIsTrustedGoBackWithStateAndIss() {
        Http h = new Http(fx.base);
        String v = OidcFixture.verifier();
        record Case(String path, String error) {
        }
        for (Case c : new Case[] {
            new Case(authorize("app", CB, ""), "invalid_request"),                                           // no PKCE
            new Case(authorize("app", CB, "&code_challenge=" + OidcFixture.challenge(v)), "invalid_request"),      // method defaults to plain
            new Case(authorize("app", CB, "&code_challenge=" + v + "&code_challenge_method=plain"), "invalid_request"),
            new Case(authorize("app", CB, "&code_challenge=short&code_challenge_method=S256"), "invalid_request"),
            new Case(authorize("app", CB, pkce(v)).replace("response_type=code", "response_type=token"), "unsupported_response_type"),
            new Case(authorize("app", CB, pkce(v)).replace("response_type=code", "response_type=code%20id_token"), "unsupported_response_type"),
            new Case(authorize("app", CB, pkce(v)).replace("scope=openid", "scope=openid%20admin"), "invalid_scope"),
            new Case(authorize("app", CB, pkce(v) + "&prompt=none%20login"), "invalid_request"),
            new Case(authorize("app", CB, pkce(v) + "&max_age=-1"), "invalid_request"),
            new Case(authorize("app", CB, pkce(v) + "&request=eyJ"), "invalid_request"),
            new Case(authorize("app", CB, pkce(v) + "&response_mode=fragment"), "invalid_request"),
            new Case(authorize("app", CB, pkce(v) + "&prompt=none"), "login_required"),
        }) {
            Http.Response r = h.get(c.path());
            assertThat(r.status()).as(c.path()).isEqualTo(302);
            String loc = r.header("Location");
            assertThat(loc).as(c.path()).startsWith(CB + "?");
            Map<String, String> q = OidcFixture.query(loc);
            assertThat(q.get("error")).as(c.path()).isEqualTo(c.error());
            assertThat(q.get("state")).isEqualTo("st");
            assertThat(q.get("iss")).isEqualTo(fx.base);
            assertThat(q).doesNotContainKey("code");
        }
    }

    @Test
    void aCodeIsSingleUseAndAReplayRevokesWhatItIssued() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String code = code(new Http(fx.base), email, v);
        Http.Response first = redeem("app", secret, code, CB, v);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String access = first.json().get("access_token").asText();
        String refresh = first.json().get("refresh_token").asText();
        Http.Response replay = redeem("app", secret, code, CB, v);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error").asText()).isEqualTo("invalid_grant");
        // RFC 9700 §4.5.3: the tokens issued with the replayed code are revoked
        Http.Response ui = new Http(fx.base).get("/oauth2/userinfo", "Authorization", "Bearer " + access);
        assertThat(ui.status()).isEqualTo(401);
        Http.Response r = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + refresh, "Authorization", basic("app", secret));
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aCodeIsBoundToClientRedirectUriAndVerifier() {
        String email = fx.newUser();
        Http browser = new Http(fx.base);
        String v = OidcFixture.verifier();
        String code = code(browser, email, v);
        assertThat(redeem("other", otherSecret, code, CB, v).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(redeem("app", secret, code, "https://app.example.test/other", v).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(redeem("app", secret, code, CB, OidcFixture.verifier()).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(redeem("app", secret, code, CB, null).json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(redeem("app", secret, code, CB, "too-short").json().get("error").asText()).isEqualTo("invalid_grant");
        // none of those consumed it: the rightful client still can
        assertThat(redeem("app", secret, code, CB, v).status()).isEqualTo(200);
    }

    @Test
    void anExpiredCodeIsRefused() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String code = code(new Http(fx.base), email, v);
        fx.ts.backend().database().jdbc().update("UPDATE authorization_codes SET expires_at = now() - interval '1 second'");
        assertThat(redeem("app", secret, code, CB, v).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void twentySimultaneousRedemptionsYieldExactlyOneTokenResponse() throws Exception {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String code = code(new Http(fx.base), email, v);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> redeem("app", secret, code, CB, v).status());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (Callable<Integer> c : calls) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            for (Future<Integer> f : fs) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(19);
    }

    @Test
    void publicClientsUsePkceOnlyAndCannotAuthenticateWithASecret() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String back = fx.browse(new Http(fx.base), fx.base + authorize("spa", "https://spa.example.test/cb", pkce(v)), email,
                "https://spa.example.test/cb");
        String code = OidcFixture.query(back).get("code");
        Http.Response noVerifier = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=spa&code=" + code + "&redirect_uri=" + RedirectUrl.enc("https://spa.example.test/cb"));
        assertThat(noVerifier.json().get("error").asText()).isEqualTo("invalid_request");
        Http.Response ok = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=spa&code=" + code + "&code_verifier=" + v + "&redirect_uri="
                        + RedirectUrl.enc("https://spa.example.test/cb"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        // refresh as the public client, bound to it
        String refresh = ok.json().get("refresh_token").asText();
        Http.Response stolen = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + refresh, "Authorization", basic("app", secret));
        assertThat(stolen.json().get("error").asText()).isEqualTo("invalid_grant");
        Http.Response own = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=spa&refresh_token=" + refresh);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        // a confidential client may not pretend to be public
        Http.Response noAuth = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=app&refresh_token=x");
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.json().get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void tokenEndpointInputProblems() {
        Http h = new Http(fx.base);
        String auth = basic("app", secret);
        record Case(String contentType, String body, String error, int status) {
        }
        for (Case c : new Case[] {
            new Case("application/json", "{\"grant_type\":\"client_credentials\"}", "invalid_request", 400),
            new Case("application/x-www-form-urlencoded", "", "invalid_request", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=password&username=a&password=b", "unsupported_grant_type", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=implicit", "unsupported_grant_type", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=client_credentials", "unauthorized_client", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=refresh_token&grant_type=refresh_token&refresh_token=x", "invalid_request", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=authorization_code&code=x&code=y&code_verifier=z", "invalid_request", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=%zz", "invalid_request", 400),
            new Case("application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=" + "x".repeat(70_000), "invalid_request", 400),
        }) {
            Http.Response r = h.post("/oauth2/token", c.contentType(), c.body(), "Authorization", auth);
            assertThat(r.status()).as(c.toString() + r.body()).isEqualTo(c.status());
            assertThat(r.json().get("error").asText()).as(c.toString()).isEqualTo(c.error());
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        }
        // two client authentication methods at once
        Http.Response both = h.post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=x&client_id=app&client_secret=" + secret, "Authorization", auth);
        assertThat(both.json().get("error").asText()).isEqualTo("invalid_request");
        // the registered method only (app uses client_secret_basic)
        Http.Response post = h.post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=x&client_id=app&client_secret=" + secret);
        assertThat(post.json().get("error").asText()).isEqualTo("invalid_client");
        Http.Response wrong = h.post("/oauth2/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=x",
                "Authorization", basic("app", "wrong"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic");
        Http.Response malformedAssertion = h.post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=x&client_assertion_type=" + RedirectUrl.enc(OAuthRequests.ASSERTION_TYPE)
                        + "&client_assertion=not.a.jwt");
        assertThat(malformedAssertion.json().get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void userinfoAcceptsOnlyABearerHeader() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        JsonNode tokens = redeem("app", secret, code(new Http(fx.base), email, v), CB, v).json();
        String at = tokens.get("access_token").asText();
        Http h = new Http(fx.base);
        assertThat(h.get("/oauth2/userinfo?access_token=" + at).status()).isEqualTo(400);
        assertThat(h.post("/oauth2/userinfo", "application/x-www-form-urlencoded", "access_token=" + at).status()).isEqualTo(401);
        assertThat(h.post("/oauth2/userinfo", null, null, "Authorization", "Bearer " + at).status()).isEqualTo(200);
        Http.Response none = h.get("/oauth2/userinfo");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
        Http.Response bad = h.get("/oauth2/userinfo", "Authorization", "Bearer " + at.substring(0, at.length() - 3) + "AAA");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void introspectionNeedsAConfidentialClientAndReflectsDisablingAtOnce() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String at = redeem("app", secret, code(new Http(fx.base), email, v), CB, v).json().get("access_token").asText();
        Http h = new Http(fx.base);
        Http.Response anon = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + at);
        assertThat(anon.status()).isEqualTo(401);
        Http.Response pub = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "client_id=spa&token=" + at);
        assertThat(pub.status()).isEqualTo(401);
        Http.Response ok = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + at, "Authorization", basic("other", otherSecret));
        assertThat(ok.json().get("active").asBoolean()).isTrue();
        assertThat(ok.json().get("sub").asText()).isNotBlank();
        var userId = java.util.UUID.fromString(ok.json().get("sub").asText());
        fx.ts.backend().accounts().setStatus(userId, dev.latchkey.core.account.UserStatus.DISABLED, dev.latchkey.core.RequestContext.SYSTEM);
        Http.Response after = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + at, "Authorization", basic("other", otherSecret));
        assertThat(after.json().get("active").asBoolean()).isFalse();
        assertThat(after.json().size()).isEqualTo(1);
        Http.Response garbage = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=garbage", "Authorization", basic("other", otherSecret));
        assertThat(garbage.json().get("active").asBoolean()).isFalse();
    }

    /** RFC 7662 §2.2: a refresh token is its client's alone; to any other client it is inactive and tells nothing. */
    @Test
    void aRefreshTokenIsIntrospectedOnlyForItsOwnClient() {
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        JsonNode tokens = redeem("app", secret, code(new Http(fx.base), email, v), CB, v).json();
        String rt = tokens.get("refresh_token").asText();
        Http h = new Http(fx.base);
        for (String hint : new String[] {"", "&token_type_hint=refresh_token", "&token_type_hint=access_token"}) {
            Http.Response foreign = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + rt + hint,
                    "Authorization", basic("other", otherSecret));
            assertThat(foreign.status()).isEqualTo(200);
            assertThat(foreign.json().toString()).as(hint).isEqualTo("{\"active\":false}");
            Http.Response own = h.post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + rt + hint,
                    "Authorization", basic("app", secret));
            assertThat(own.json().get("active").asBoolean()).as(hint).isTrue();
            assertThat(own.json().get("client_id").asText()).isEqualTo("app");
        }
    }

    @Test
    void promptLoginAndMaxAgeForceAFreshSignIn() {
        String email = fx.newUser();
        Http browser = new Http(fx.base);
        String v = OidcFixture.verifier();
        code(browser, email, v);                               // now signed in
        Http.Response silent = browser.get(authorize("app", CB, pkce(v) + "&prompt=none"));
        assertThat(OidcFixture.query(silent.header("Location"))).containsKey("code");
        Http.Response forced = browser.get(authorize("app", CB, pkce(v) + "&prompt=login"));
        assertThat(forced.header("Location")).startsWith("/login").contains("prompt=login");
        Http.Response maxAge0 = browser.get(authorize("app", CB, pkce(v) + "&max_age=0"));
        assertThat(maxAge0.header("Location")).startsWith("/login");
        // after signing in again, the same request completes (no loop)
        String back = fx.browse(browser, fx.base + authorize("app", CB, pkce(v) + "&prompt=login"), email, CB);
        assertThat(OidcFixture.query(back)).containsKey("code");
    }

    @Test
    void anAccessTokenIsNotAnIdTokenHint() {
        String email = fx.newUser();
        Http browser = new Http(fx.base);
        String v = OidcFixture.verifier();
        String at = redeem("app", secret, code(browser, email, v), CB, v).json().get("access_token").asText();
        Http.Response r = browser.get("/oauth2/logout?id_token_hint=" + at);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("id_token_hint");
    }
}
