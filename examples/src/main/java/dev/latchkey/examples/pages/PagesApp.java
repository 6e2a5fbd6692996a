package dev.latchkey.examples.pages;

import dev.latchkey.examples.http.SecurityHeaders;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server-rendered pages: {@code /} (landing) and {@code /dashboard} (greets the user by name in the first
 * HTML response, then manages notes with {@code /static/dashboard.js}). The visitor comes from the gateway's
 * verified {@link GatewayAssertions#HEADER}; without one the dashboard answers 303 to the gateway's login.
 */
public final class PagesApp {
    public static final String LOGIN = "/auth/login?returnTo=/dashboard";
    /** The static files, explicitly: name → content type. */
    private static final Map<String, String> STATIC = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "demo.css", "text/css; charset=utf-8");

    private final GatewayAssertions assertions;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "dev.latchkey.examples.pages.jte");
    private final Map<String, byte[]> files;
    private final boolean sharing;

    public PagesApp(GatewayAssertions assertions) {
        this(assertions, false);
    }

    /** @param sharing whether the dashboard offers sharing (the notes API has relations) */
    public PagesApp(GatewayAssertions assertions, boolean sharing) {
        this.assertions = Objects.requireNonNull(assertions, "assertions");
        this.sharing = sharing;
        this.files = STATIC.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(n -> n, PagesApp::load));
    }

    public void register(RoutesConfig r) {
        r.get("/", this::landing);
        r.get("/dashboard", this::dashboard);
        r.get("/static/{file}", this::file);
        r.get("/favicon.ico", ctx -> ctx.status(204)); // browsers ask on every visit; no icon, and no 404 noise
    }

    private void landing(Context ctx) {
        Visitor v = visitor(ctx);
        render(ctx, "landing.jte", new PageModels.Landing(v instanceof Visitor.SignedIn s ? s.displayName() : null));
    }

    private void dashboard(Context ctx) {
        switch (visitor(ctx)) {
            case Visitor.SignedIn s -> render(ctx, "dashboard.jte",
                    new PageModels.Dashboard(s.displayName(), s.userId(), s.org(), s.roles().stream().sorted().toList(), sharing));
            case Visitor.Anonymous a -> {
                ctx.header("Cache-Control", "no-store");
                ctx.redirect(LOGIN, io.javalin.http.HttpStatus.SEE_OTHER);
            }
        }
    }

    private Visitor visitor(Context ctx) {
        List<String> values = ctx.req().getHeaders(GatewayAssertions.HEADER) == null ? List.of()
                : java.util.Collections.list(ctx.req().getHeaders(GatewayAssertions.HEADER));
        if (values.size() > 1) {
            return new Visitor.Anonymous(); // two assertions: trust neither
        }
        return assertions.visitor(values.isEmpty() ? null : values.get(0));
    }

    private void file(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] bytes = files.get(name);
        if (bytes == null) {
            ctx.status(404);   // rendered as a problem by the app's 404 handler
            return;
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(STATIC.get(name)).result(bytes);
    }

    private void render(Context ctx, String template, Object model) {
        Utf8ByteOutput out = new Utf8ByteOutput();
        templates.render(template, model, out);
        SecurityHeaders.page(ctx);
        ctx.status(200).contentType("text/html; charset=utf-8").result(out.toByteArray());
    }

    private static byte[] load(String name) {
        try (InputStream in = PagesApp.class.getClassLoader().getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing static/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
