package dev.latchkey.server.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.TestBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A person signs in with an upstream provider (mock-oauth2-server) in real Chromium: on the hosted page and through a relying party. */
class FederationBrowserTest {
    static TestBrowser chrome;
    static FederationFixture fx;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        fx = new FederationFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
        if (chrome != null) {
            chrome.close();
        }
    }

    @BeforeEach
    void open() {
        context = chrome.browser.newContext();
        page = context.newPage();
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void theHostedSignInPageButtonSignsInAndLandsOnTheAccountWithTheUnifiedId() {
        String email = FederationFixture.email();
        fx.next("corp", "browser-" + email, Map.of("email", email, "email_verified", true, "name", "Bea"));
        page.navigate(fx.ts.base + "/login");
        page.click("#idp-corp");
        page.waitForURL(u -> u.startsWith(fx.ts.base + "/account"));
        assertThat(page.textContent("#user-email")).isEqualTo(email);
        String id = page.textContent("dd code");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(page.textContent("#identities")).contains("Corp SSO");

        // signed out and back in with the provider: the same user
        page.click("form[action='/logout'] button");
        fx.next("corp", "browser-" + email, Map.of("email", email, "email_verified", true));
        page.navigate(fx.ts.base + "/login");
        page.click("#idp-corp");
        page.waitForURL(u -> u.startsWith(fx.ts.base + "/account"));
        assertThat(page.textContent("dd code")).isEqualTo(id);
    }

    @Test
    void aRelyingPartysAuthorizeRequestWithTheIdpHintGoesThroughTheProviderAndBack() throws Exception {
        AtomicReference<String> landed = new AtomicReference<>();
        // the relying party's redirect URI: a page on another site (127.0.0.1) that records what came back
        com.sun.net.httpserver.HttpServer rp = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/callback", x -> {
            landed.set("http://127.0.0.1" + x.getRequestURI());
            byte[] b = "<p id=rp>back at the application</p>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        rp.start();
        String redirect = "http://127.0.0.1:" + rp.getAddress().getPort() + "/callback";
        JsonNode client = FederationTest.registerClientAt(fx, "browser-rp", redirect);
        try {
        String email = FederationFixture.email();
        fx.next("corp", "rp-browser-" + email, Map.of("email", email, "email_verified", true));
        String verifier = OidcFixture.verifier();
        page.navigate(fx.ts.base + "/oauth2/authorize?response_type=code&client_id=browser-rp&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=openid%20email&state=st&nonce=nn"
                + "&code_challenge=" + OidcFixture.challenge(verifier) + "&code_challenge_method=S256&idp=corp");
        page.waitForSelector("#rp");
        String code = OidcFixture.query(landed.get()).get("code");
        Http.Response token = new Http(fx.ts.base).postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirect, "code_verifier", verifier), "Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("browser-rp:" + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8)));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(token.json().get("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("amr")).containsExactly("fed");
        assertThat(claims.getStringClaim("idp")).isEqualTo("corp");
        assertThat(claims.getStringClaim("email")).isEqualTo(email);
        page.navigate(fx.ts.base + "/account");
        assertThat(claims.getSubject()).isEqualTo(page.textContent("dd code"));
        } finally {
            rp.stop(0);
        }
    }
}
