package dev.latchkey.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.javalin.Javalin;
import java.net.URI;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The real upstreams the gateway talks to in tests. */
final class Apps {
    static final ObjectMapper JSON = new ObjectMapper();

    private Apps() {
    }

    /**
     * An API that echoes what it received (method, path, query, headers, body) as JSON. It answers 401 to a Bearer
     * token listed in {@code rejected} and to {@code ?status=401}.
     */
    static final class EchoApi implements AutoCloseable {
        final Javalin app;
        final Set<String> rejected = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();
        /** Released by a test to let /api/notes/stream send its second part. */
        volatile java.util.concurrent.CountDownLatch releaseSecondPart = new java.util.concurrent.CountDownLatch(1);
        /** Counted down when /api/notes/upload has received the first bytes of its body. */
        volatile java.util.concurrent.CountDownLatch firstBytesReceived = new java.util.concurrent.CountDownLatch(1);

        EchoApi() {
            app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.concurrency.useVirtualThreads = true;
                c.routes.get("/api/notes/moved", ctx -> ctx.redirect(base() + "/api/notes/1?from=moved", io.javalin.http.HttpStatus.FOUND));
                c.routes.get("/api/notes/stream", ctx -> {
                    ctx.res().setContentType("text/plain");
                    var out = ctx.res().getOutputStream();
                    out.write("first\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    boolean released = releaseSecondPart.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    out.write((released ? "second\n" : "never released\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                });
                c.routes.post("/api/notes/upload", ctx -> {
                    var in = ctx.req().getInputStream();
                    int first = in.read();
                    firstBytesReceived.countDown();
                    long total = first < 0 ? 0 : 1 + in.transferTo(java.io.OutputStream.nullOutputStream());
                    ctx.result(Long.toString(total));
                });
                c.routes.post("/api/notes/limited", ctx -> {
                    // an upstream with a 64 KiB limit of its own: it reads that much, answers 413 early and says the
                    // connection ends (as the Latchkey server does), leaving the rest of the body unread
                    ctx.req().getInputStream().readNBytes(64 * 1024);
                    calls.incrementAndGet();
                    ctx.status(413).header("Connection", "close").contentType("application/problem+json")
                            .result("{\"status\":413,\"code\":\"upstream_too_large\"}");
                });
                c.routes.get("/api/notes/big", ctx -> {
                    calls.incrementAndGet();
                    ctx.res().setContentType("application/octet-stream");
                    var out = ctx.res().getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'x');
                    for (int i = 0; i < 160; i++) {          // 10 MiB, written in pieces
                        out.write(chunk);
                    }
                });
                for (var m : java.util.List.of(io.javalin.http.HandlerType.GET, io.javalin.http.HandlerType.POST,
                        io.javalin.http.HandlerType.PUT, io.javalin.http.HandlerType.DELETE)) {
                    c.routes.addHttpHandler(m, "/*", ctx -> {
                        calls.incrementAndGet();
                        String auth = ctx.header("Authorization");
                        if ("401".equals(ctx.queryParam("status")) || (auth != null && rejected.contains(auth.substring("Bearer ".length())))) {
                            // reads the request first: refusing before a large upload is read can reset the connection
                            // under the gateway's upload, a 502 instead of this 401 (a race that made the test flaky)
                            ctx.bodyAsBytes();
                            ctx.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"").result("");
                            return;
                        }
                        ObjectNode n = JSON.createObjectNode();
                        n.put("method", ctx.method().name());
                        n.put("path", ctx.path());
                        n.put("query", ctx.queryString());
                        ObjectNode h = n.putObject("headers");
                        for (String name : Collections.list(ctx.req().getHeaderNames())) {
                            h.put(name.toLowerCase(java.util.Locale.ROOT), String.join(" | ", Collections.list(ctx.req().getHeaders(name))));
                        }
                        n.put("body", ctx.body());
                        ctx.header("Set-Cookie", "api_cookie=1; Path=/");
                        ctx.header("X-Upstream", "echo");
                        ctx.contentType("application/json").result(n.toString());
                    });
                }
            }).start(0);
        }

        String base() {
            return "http://127.0.0.1:" + app.port();
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    /**
     * A server-rendered frontend: it verifies the Latchkey-Assertion header against the gateway's JWKS (issuer, audience,
     * typ JWT, ES256, exp) and renders the user's name in the first HTML response.
     */
    static final class Frontend implements AutoCloseable {
        final Javalin app;
        final Set<String> seenAssertions = Collections.synchronizedSet(new HashSet<>());
        volatile String lastCookieHeader;
        volatile String lastAuthorization;

        Frontend(String gatewayUrl, String audience) throws Exception {
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                    JWKSourceBuilder.create(URI.create(gatewayUrl + "/auth/jwks.json").toURL()).retrying(false).build()));
            p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, new JWTClaimsSet.Builder().issuer(gatewayUrl).build(),
                    Set.of("sub", "iat", "exp", "jti")));
            app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.concurrency.useVirtualThreads = true;
                for (var m : java.util.List.of(io.javalin.http.HandlerType.GET, io.javalin.http.HandlerType.POST)) {
                    c.routes.addHttpHandler(m, "/*", ctx -> {
                        lastCookieHeader = ctx.header("Cookie");
                        lastAuthorization = ctx.header("Authorization");
                        String a = ctx.header("Latchkey-Assertion");
                        String who = "guest";
                        if (a != null) {
                            try {
                                JWTClaimsSet claims = p.process(a, null);
                                who = String.valueOf(claims.getStringClaim("name"));
                                seenAssertions.add(a);
                            } catch (Exception e) {
                                ctx.status(400).result("bad assertion: " + e.getMessage());
                                return;
                            }
                        }
                        ctx.res().addHeader("Set-Cookie", "theme=dark; Path=/");
                        ctx.res().addHeader("Set-Cookie", "__Host-lk-session=forged; Path=/; Secure");
                        ctx.contentType("text/html; charset=utf-8").result("<!doctype html><html><body><h1 id=\"hello\">Hello, "
                                + who + "</h1><p id=\"path\">" + ctx.path() + "</p>"
                                + "<form id=\"logout\" method=\"post\" action=\"/auth/logout\"><button>Sign out</button></form></body></html>");
                    });
                }
            }).start(0);
        }

        String base() {
            return "http://127.0.0.1:" + app.port();
        }

        @Override
        public void close() {
            app.stop();
        }
    }
}
