package dev.latchkey.sdk.servlet;

import dev.latchkey.sdk.CurrentPrincipal;
import dev.latchkey.sdk.http.Authentication;
import dev.latchkey.sdk.http.BearerAuthenticator;
import dev.latchkey.sdk.http.Guard;
import dev.latchkey.sdk.http.Guards;
import dev.latchkey.sdk.http.Refusal;
import dev.latchkey.sdk.http.TraceContext;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Jakarta Servlet filter for a resource server: puts the {@code traceparent} trace id in the MDC,
 * authenticates the {@code Authorization: Bearer} token (RFC 6750 §2.1), runs this filter's guards, and
 * serves the rest of the chain with the principal bound to the request ({@link #principal}) and to the
 * thread ({@link CurrentPrincipal}). Refusals follow RFC 6750 §3 with an RFC 9457 problem body.
 *
 * <p>A filter without guards only authenticates; map one per guarded path pattern for the rest. The token
 * is verified once per request even when several filters run.
 */
public final class LatchkeyFilter implements Filter {
    /** Request attribute holding the {@link VerifiedToken}, when the request authenticated. */
    public static final String PRINCIPAL_ATTRIBUTE = VerifiedToken.class.getName();
    static final String AUTHENTICATION_ATTRIBUTE = Authentication.class.getName();

    private final BearerAuthenticator authenticator;
    private final Guards<HttpServletRequest> guards;
    private final String realm;

    private LatchkeyFilter(Builder b) {
        this.authenticator = new BearerAuthenticator(b.verifier, b.apiKeys);
        this.guards = new Guards<>(b.guards);
        this.realm = b.realm;
    }

    public static Builder builder(TokenVerifier verifier) {
        return new Builder(verifier);
    }

    /** The verified principal of {@code request}, if it authenticated. */
    public static Optional<VerifiedToken> principal(ServletRequest request) {
        return Optional.ofNullable((VerifiedToken) request.getAttribute(PRINCIPAL_ATTRIBUTE));
    }

    /** The verified principal; for handlers behind a guard, where its absence is a wiring bug. */
    public static VerifiedToken requirePrincipal(ServletRequest request) {
        return principal(request).orElseThrow(() -> new IllegalStateException(
                "no verified principal on this request: is the route behind a LatchkeyFilter with a guard?"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            chain.doFilter(request, response);
            return;
        }
        try (TraceContext.Scope trace = TraceContext.open(req.getHeader(TraceContext.HEADER))) {
            Authentication authentication = authenticate(req);
            Optional<Refusal> refusal = guards.check(authentication, req, realm);
            if (refusal.isPresent()) {
                write(res, refusal.get());
                return;
            }
            if (authentication instanceof Authentication.Authenticated a) {
                try (CurrentPrincipal.Binding bound = CurrentPrincipal.bind(a.token())) {
                    chain.doFilter(req, res);
                }
            } else {
                chain.doFilter(req, res);
            }
        }
    }

    /** The request's authentication, computed once and kept as a request attribute. */
    static Authentication authenticate(HttpServletRequest req, BearerAuthenticator authenticator) {
        if (req.getAttribute(AUTHENTICATION_ATTRIBUTE) instanceof Authentication known) {
            return known;
        }
        List<String> authorization = Collections.list(req.getHeaders("Authorization"));
        Authentication authentication = authenticator.authenticate(authorization,
                Collections.list(req.getHeaders(BearerAuthenticator.API_KEY_HEADER)), req.getQueryString());
        req.setAttribute(AUTHENTICATION_ATTRIBUTE, authentication);
        if (authentication instanceof Authentication.Authenticated a) {
            req.setAttribute(PRINCIPAL_ATTRIBUTE, a.token());
        }
        return authentication;
    }

    /** The authentication this (or an earlier) Latchkey filter established for {@code request}. */
    public static Optional<Authentication> authentication(ServletRequest request) {
        return Optional.ofNullable((Authentication) request.getAttribute(AUTHENTICATION_ATTRIBUTE));
    }

    private Authentication authenticate(HttpServletRequest req) {
        return authenticate(req, authenticator);
    }

    /** Writes a refusal: status, challenge, {@code no-store} (RFC 6750 §5.3 spirit), problem body. */
    public static void write(HttpServletResponse res, Refusal refusal) throws IOException {
        res.setStatus(refusal.status());
        refusal.challenge().ifPresent(c -> res.setHeader("WWW-Authenticate", c));
        res.setHeader("Cache-Control", "no-store");
        res.setContentType(Refusal.CONTENT_TYPE);
        byte[] body = refusal.body().getBytes(StandardCharsets.UTF_8);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    /** Configuration of one filter instance. */
    public static final class Builder {
        private final TokenVerifier verifier;
        private final List<Guard<? super HttpServletRequest>> guards = new ArrayList<>();
        private String realm = "api";
        private dev.latchkey.sdk.apikey.ApiKeyExchanger apiKeys;

        /** Accepts API keys ({@code Authorization: Bearer lk_…} or {@code X-API-Key}), exchanged for tokens by {@code apiKeys}. */
        public Builder apiKeys(dev.latchkey.sdk.apikey.ApiKeyExchanger apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
            return this;
        }

        private Builder(TokenVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
        }

        /** The {@code realm} of challenges (RFC 6750 §3); printable ASCII without quotes. */
        public Builder realm(String realm) {
            this.realm = Refusal.checkRealm(realm);
            return this;
        }

        /** Adds guards, checked in order; with none the filter only authenticates. */
        @SafeVarargs
        public final Builder require(Guard<? super HttpServletRequest>... guards) {
            for (Guard<? super HttpServletRequest> g : guards) {
                this.guards.add(Objects.requireNonNull(g, "guard"));
            }
            return this;
        }

        public LatchkeyFilter build() {
            return new LatchkeyFilter(this);
        }
    }
}
