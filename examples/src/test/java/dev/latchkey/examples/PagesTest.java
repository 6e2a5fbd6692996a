package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.examples.http.SecurityHeaders;
import dev.latchkey.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages over HTTP, with assertions signed by a stand-in gateway whose JWKS is served locally: the dashboard
 * greets the verified user by name in the first HTML response, escaped, and sends everyone else to the
 * gateway's login.
 */
class PagesTest {
    static final String LOGIN = "/auth/login?returnTo=/dashboard";
    static TestPostgres.Database db;
    static TestGateway gateway;
    static DemoApp app;
    static Http http;
    static final String SUB = UUID.randomUUID().toString();

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.createDatabase();
        gateway = new TestGateway();
        // the notes API's issuer is never contacted by these tests
        app = DemoApp.start(DemoConfig.of("http://127.0.0.1:9", gateway.url, db.jdbcUrl(), 0));
        http = new Http("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        gateway.close();
        db.close();
    }

    Http.Response dashboard(String assertion) {
        return assertion == null ? http.get("/dashboard") : http.get("/dashboard", "Latchkey-Assertion", assertion);
    }

    @Test
    void theDashboardGreetsTheVerifiedUserByNameInTheFirstResponse() {
        Http.Response r = dashboard(gateway.assertion(SUB, "ada@example.test", "Ada Lovelace"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.body()).contains("<h1 id=\"greeting\">Hello, Ada Lovelace</h1>")
                .contains("id=\"note-title\"", "id=\"note-body\"", "id=\"note-create\"", "id=\"notes\"", "id=\"sign-out\"")
                .contains("<script src=\"/static/dashboard.js\" defer></script>")
                .doesNotContain("<script>");
        assertThat(r.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.PAGE_CSP).contains("script-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void withoutANameTheEmailIsUsed() {
        Http.Response r = dashboard(gateway.assertion(SUB, "grace@example.test", ""));
        assertThat(r.body()).contains("Hello, grace@example.test");
        Http.Response noName = dashboard(gateway.assertion(SUB, "grace@example.test", "x", c -> c.claim("name", null)));
        assertThat(noName.body()).contains("Hello, grace@example.test");
    }

    @Test
    void aNameWithMarkupIsEscaped() {
        Http.Response r = dashboard(gateway.assertion(SUB, "x@example.test", "<script>alert(1)</script>\"&'"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<script>alert(1)</script>")
                .contains("Hello, &lt;script&gt;alert(1)&lt;/script&gt;\"&amp;'</h1>"); // quotes need no escaping in text content
    }

    @Test
    void orgAndRolesAreShownEscaped() {
        Http.Response r = dashboard(gateway.assertion(SUB, "x@example.test", "X",
                c -> c.claim("org", "org-1<b>").claim("roles", List.of("admin", "b<i>"))));
        assertThat(r.body()).contains("id=\"org\"").contains("org-1&lt;b&gt;").contains("b&lt;i&gt;").doesNotContain("<b>").doesNotContain("<i>");
    }

    @Test
    void withoutAValidAssertionTheDashboardSendsToTheGatewaysLogin() throws Exception {
        String expired = gateway.assertion(SUB, "e@example.test", "E", c -> c
                .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(3))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(2)))));
        String wrongAudience = gateway.assertion(SUB, "e@example.test", "E", c -> c.audience("another-app"));
        String wrongIssuer = gateway.assertion(SUB, "e@example.test", "E", c -> c.issuer("http://evil.example"));
        String noSubject = gateway.assertion(SUB, "e@example.test", "E", c -> c.subject(null));
        String emailNotAString = gateway.assertion(SUB, "e@example.test", "E", c -> c.claim("email", 5));
        String rolesNotAnArray = gateway.assertion(SUB, "e@example.test", "E", c -> c.claim("roles", "admin"));
        String valid = gateway.assertion(SUB, "e@example.test", "E");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

        for (String assertion : new String[] {null, "", "garbage", gateway.forged(SUB, "e@example.test", "E"), expired, wrongAudience,
                wrongIssuer, noSubject, emailNotAString, rolesNotAnArray, tampered}) {
            Http.Response r = dashboard(assertion);
            assertThat(r.status()).as(String.valueOf(assertion)).isEqualTo(303);
            assertThat(r.header("Location")).isEqualTo(LOGIN);
            assertThat(r.body()).doesNotContain("Hello");
        }
    }

    @Test
    void anAccessTokenStyleJwtIsNoAssertion() {
        // same key and claims, but typ at+jwt: the assertion verifier wants typ JWT
        var claims = gateway.claims(SUB, "e@example.test", "E").build();
        assertThat(dashboard(gateway.signWithType(claims, com.nimbusds.jose.JOSEObjectType.JWT)).status()).as("control").isEqualTo(200);
        assertThat(dashboard(gateway.signWithType(claims, new com.nimbusds.jose.JOSEObjectType("at+jwt"))).status()).isEqualTo(303);
    }

    @Test
    void twoAssertionHeadersAreTrustedNeither() {
        String a = gateway.assertion(SUB, "a@example.test", "A");
        Http.Response r = http.send(http.request("/dashboard", "Latchkey-Assertion", a, "Latchkey-Assertion", a).GET());
        assertThat(r.status()).isEqualTo(303);
    }

    @Test
    void theLandingPageOffersSignInOrTheDashboard() {
        Http.Response anonymous = http.get("/");
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body()).contains("href=\"/auth/login?returnTo=/dashboard\"").doesNotContain("/dashboard\" id");
        assertThat(anonymous.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.PAGE_CSP);

        Http.Response signedIn = http.get("/", "Latchkey-Assertion", gateway.assertion(SUB, "a@example.test", "Ada"));
        assertThat(signedIn.body()).contains("Signed in as Ada").contains("href=\"/dashboard\"").doesNotContain("Sign in</a>");
    }

    @Test
    void staticFilesAreServedAndNothingElse() {
        Http.Response js = http.get("/static/dashboard.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).contains("'X-CSRF': '1'").contains("credentials: 'same-origin'").contains("/auth/logout")
                .contains("/auth/login?returnTo=/dashboard").doesNotContain("innerHTML");
        assertThat(http.get("/static/demo.css").header("Content-Type")).startsWith("text/css");
        assertThat(http.get("/static/..%2Fdb%2Fdemo%2FV2__notes.sql").status()).isEqualTo(404);
        assertThat(http.get("/static/missing.js").status()).isEqualTo(404);
    }
}
