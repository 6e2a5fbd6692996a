package dev.latchkey.server.oidc;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.ClientCredentials;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.server.http.JsonBodies;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses OAuth requests: query strings and {@code application/x-www-form-urlencoded} bodies with
 * every value of every parameter kept (so duplicates can be refused), and client credentials from
 * exactly one place (RFC 6749 §2.3: a client must not use more than one authentication method).
 */
public final class OAuthRequests {
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final JsonBodies bodies;

    public OAuthRequests(JsonBodies bodies) {
        this.bodies = bodies;
    }

    /** The form body of a POST; anything but a form is invalid_request. */
    public RawParams form(Context ctx) {
        String ct = ctx.header("Content-Type");
        String base = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/x-www-form-urlencoded")) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "Send the parameters as application/x-www-form-urlencoded.",
                    "content type " + ct);
        }
        return parse(new String(bodies.bytes(ctx), StandardCharsets.UTF_8));
    }

    public static RawParams query(Context ctx) {
        String q = ctx.queryString();
        return parse(q == null ? "" : q);
    }

    /** Query string or form body, whichever the method carries (OIDC Core §3.1.2.1 allows both for authorize). */
    public RawParams queryOrForm(Context ctx) {
        return "POST".equals(ctx.method().name()) ? form(ctx) : query(ctx);
    }

    static RawParams parse(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (!encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k;
                String v;
                try {
                    k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "A parameter is not properly URL-encoded.", "bad encoding");
                }
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new RawParams(out);
    }

    /** RFC 6749 §3.1/§3.2: request and response parameters must not be included more than once. */
    public static void rejectDuplicates(RawParams params, String... names) {
        for (String n : names) {
            if (params.duplicated(n)) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter '" + n + "' was sent more than once.", "duplicate " + n);
            }
        }
    }

    /** The client credentials the request carries; more than one method at once is invalid_request. */
    public static ClientCredentials clientCredentials(Context ctx, RawParams form) {
        rejectDuplicates(form, "client_id", "client_secret", "client_assertion", "client_assertion_type");
        Enumeration<String> auth = ctx.req().getHeaders("Authorization");
        String basic = null;
        if (auth != null && auth.hasMoreElements()) {
            String h = auth.nextElement();
            if (auth.hasMoreElements()) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "Send one Authorization header.", "several Authorization headers");
            }
            if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
                basic = h.substring(6).strip();
            }
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        String assertionType = form.get("client_assertion_type");
        int methods = (basic != null ? 1 : 0) + (secret != null ? 1 : 0) + (assertion != null ? 1 : 0);
        if (methods > 1) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "Use exactly one client authentication method.", "several client auth methods");
        }
        if (basic != null) {
            String[] pair = decodeBasic(basic);
            if (id != null && !id.equals(pair[0])) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "client_id does not match the Authorization header.", "basic/client_id mismatch");
            }
            return new ClientCredentials.Basic(pair[0], pair[1]);
        }
        if (assertion != null) {
            if (!ASSERTION_TYPE.equals(assertionType)) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "client_assertion_type must be " + ASSERTION_TYPE + ".", "assertion type");
            }
            return new ClientCredentials.Assertion(assertion, id);
        }
        if (secret != null) {
            if (id == null) {
                throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "client_secret without client_id.", "secret without id");
            }
            return new ClientCredentials.Post(id, secret);
        }
        return id != null ? new ClientCredentials.PublicId(id) : new ClientCredentials.Absent();
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined with ':' and base64'd. */
    static String[] decodeBasic(String b64) {
        try {
            String raw = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException();
            }
            return new String[] {URLDecoder.decode(raw.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(raw.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "The Basic credentials are malformed.", "bad basic header");
        }
    }
}
