package dev.latchkey.sdk.javalin;

import dev.latchkey.sdk.http.Authentication;
import dev.latchkey.sdk.http.Guard;
import dev.latchkey.sdk.http.Guards;
import dev.latchkey.sdk.http.Refusal;
import dev.latchkey.sdk.servlet.LatchkeyFilter;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.javalin.security.RouteRole;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Latchkey for Javalin 7. Installs a {@link LatchkeyFilter} (authenticate only) in front of Javalin's
 * servlet, so the trace id and the thread's principal are bound and unbound in a {@code finally} around the
 * whole request, and checks the {@link Require} roles of the matched route before its handler:
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new LatchkeyPlugin(c -> { c.verifier = verifier; c.realm = "notes"; }));
 *     config.routes.get("/notes", ctx -> ..., Require.scope("notes:read"));
 * });
 * }</pre>
 */
public final class LatchkeyPlugin extends Plugin<LatchkeyPlugin.Config> {

    /** Plugin settings, Javalin style. */
    public static final class Config {
        /** Required. */
        public TokenVerifier verifier;
        /** The challenge realm (RFC 6750 §3). */
        public String realm = "api";
    }

    public LatchkeyPlugin(Consumer<Config> userConfig) {
        super(userConfig, new Config());
    }

    /** The verified principal of this request, if it authenticated. */
    public static Optional<VerifiedToken> principal(Context ctx) {
        return LatchkeyFilter.principal(ctx.req());
    }

    /** The verified principal; for handlers behind a {@link Require}, where its absence is a wiring bug. */
    public static VerifiedToken requirePrincipal(Context ctx) {
        return LatchkeyFilter.requirePrincipal(ctx.req());
    }

    @Override
    public void onInitialize(JavalinState state) {
        if (pluginConfig.verifier == null) {
            throw new IllegalStateException("LatchkeyPlugin needs a verifier");
        }
        String realm = Refusal.checkRealm(pluginConfig.realm);
        LatchkeyFilter filter = LatchkeyFilter.builder(pluginConfig.verifier).realm(realm).build();
        state.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST)));
        state.routes.beforeMatched(ctx -> check(ctx, realm));
    }

    private static void check(Context ctx, String realm) {
        List<Guard<? super Context>> guards = new ArrayList<>();
        for (RouteRole role : ctx.routeRoles()) {
            if (role instanceof Require require) {
                guards.add(require.guard());
            }
        }
        if (guards.isEmpty()) {
            return;
        }
        Authentication authentication = LatchkeyFilter.authentication(ctx.req()).orElseThrow(() ->
                new IllegalStateException("the Latchkey filter did not run for this request"));
        Optional<Refusal> refusal = new Guards<>(guards).check(authentication, ctx, realm);
        if (refusal.isPresent()) {
            Refusal r = refusal.get();
            ctx.skipRemainingHandlers();
            ctx.status(r.status());
            r.challenge().ifPresent(c -> ctx.header("WWW-Authenticate", c));
            ctx.header("Cache-Control", "no-store");
            ctx.contentType(Refusal.CONTENT_TYPE);
            ctx.result(r.body());
        }
    }

    @Override
    public String name() {
        return "latchkey";
    }
}
