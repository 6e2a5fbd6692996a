package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real nginx protects a static site with {@code auth_request} against the gateway's {@code /auth/verify}; nginx also
 * routes {@code /auth/} to the gateway, so login, callback and cookie live on nginx's origin.
 */
class NginxForwardAuthTest {
    static GatewayFixture f;
    static Nginx nginx;
    static String email;

    @BeforeAll
    static void start() throws Exception {
        Nginx.requireInstalled();
        int nginxPort = GatewayFixture.freePort();
        f = new GatewayFixture(Map.of(), Map.of("LATCHKEY_GATEWAY_FRONTEND", ""), nginxPort);
        int gw = f.gateway.port();
        Path site = Files.createTempDirectory("latchkey-site",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(site.resolve("index.html"), "<h1>members only</h1>");       // readable by nginx's worker user
        nginx = Nginx.start(nginxPort, """
                location /auth/ {
                    proxy_pass http://127.0.0.1:%1$d;
                    proxy_set_header Host $http_host;
                }
                location = /_latchkey_verify {
                    internal;
                    proxy_pass http://127.0.0.1:%1$d/auth/verify;
                    proxy_pass_request_body off;
                    proxy_set_header Content-Length "";
                    proxy_set_header X-Original-URI $request_uri;
                }
                location / {
                    auth_request /_latchkey_verify;
                    auth_request_set $latchkey_user $upstream_http_x_latchkey_user;
                    auth_request_set $latchkey_email $upstream_http_x_latchkey_email;
                    add_header X-Seen-User $latchkey_user always;
                    add_header X-Seen-Email $latchkey_email always;
                    root %2$s;
                    index index.html;
                    error_page 401 = @login;
                }
                location /api-style/ {
                    auth_request /_latchkey_verify;
                    root %2$s;
                }
                location @login {
                    return 302 /auth/login?returnTo=$request_uri;
                }
                """.formatted(gw, site));
        email = f.newUser();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void withoutACookieNginxAnswers401OrSendsToLogin() {
        Http anon = new Http("http://localhost:" + nginx.port);
        Http.Response page = anon.get("/index.html?x=1");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/auth/login?returnTo=/index.html?x=1");
        assertThat(page.body()).doesNotContain("members only");
        assertThat(anon.get("/api-style/index.html").status()).isEqualTo(401);
        Http forged = new Http("http://localhost:" + nginx.port);
        forged.cookies.put("__Host-lk-session", "forged");
        assertThat(forged.get("/api-style/index.html").status()).isEqualTo(401);
    }

    @Test
    void withASessionNginxServesThePageWithTheIdentityHeaders() {
        GatewayFixture.Browser b = f.new Browser();
        Http.Response login = b.gw.get("/index.html");
        String toLogin = login.header("Location");
        assertThat(toLogin).contains("/auth/login");
        Http.Response start = b.gw.get(toLogin);             // through nginx to the gateway
        assertThat(start.status()).isEqualTo(303);
        String callback = f.idp.browse(b.server, start.header("Location"), email, f.publicUrl + "/auth/callback");
        Http.Response done = b.gw.get(callback);
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.header("Location")).isEqualTo("/index.html");
        Http.Response page = b.gw.get("/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("members only");
        assertThat(page.header("X-Seen-User")).isEqualTo(f.userId(email).toString());
        assertThat(page.header("X-Seen-Email")).isEqualTo(email);

        Http.Response verify = new Http(f.gateway.baseUrl()).get("/auth/verify", "Cookie", "__Host-lk-session=" + b.session());
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.header("Latchkey-Assertion")).startsWith("ey");
        assertThat(verify.header("X-Latchkey-Name")).isEqualTo("Olga");

        // after logout (through nginx, same origin) the page is protected again
        assertThat(b.gw.post("/auth/logout", null, null, "X-CSRF", "1").status()).isEqualTo(200);
        assertThat(b.gw.get("/index.html").status()).isEqualTo(302);
    }
}
