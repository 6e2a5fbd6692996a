package dev.latchkey.server.pages;

import dev.latchkey.server.http.SecurityHeaders;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.http.Context;

/** Renders the precompiled jte templates (type-checked at build time) as HTML pages. */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, int status, String template, Object model) {
        Utf8ByteOutput out = new Utf8ByteOutput();
        engine.render(template, model, out);
        SecurityHeaders.page(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8");
        ctx.result(out.toByteArray());
    }
}
