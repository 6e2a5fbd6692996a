package dev.latchkey.server.pages;

import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.server.http.Cookies;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * CSRF protection for hosted forms (OWASP "signed double-submit cookie"): a random value in a
 * {@code __Host-} cookie, and in the form its HMAC under a server key. A forged cross-site post
 * can carry neither; a cookie planted by a sibling domain cannot exist because of the prefix.
 */
public final class Csrf {
    private static final String COOKIE = "lk_csrf";

    private final Hmac key;
    private final Cookies cookies;
    private final String cookieName;

    public Csrf(byte[] key, Cookies cookies) {
        this.key = new Hmac(key);
        this.cookies = cookies;
        this.cookieName = cookies.hostName(COOKIE);
    }

    /** The token to embed in a form, setting the cookie when the browser has none. */
    private static final String ISSUED = "latchkey.csrf.issued";

    public String token(Context ctx) {
        // a page may ask more than once (several forms): the cookie set earlier in this response is the one that counts
        String v = ctx.attribute(ISSUED);
        if (v == null) {
            v = Cookies.read(ctx, cookieName);
        }
        if (v == null || v.length() != 43) {
            v = RandomTokens.token();
            cookies.set(ctx, cookieName, v, "/", null, Cookies.SameSite.LAX);
            ctx.attribute(ISSUED, v);
        }
        return sign(v);
    }

    public boolean valid(Context ctx, String formToken) {
        String v = Cookies.read(ctx, cookieName);
        if (v == null || formToken == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(v).getBytes(StandardCharsets.US_ASCII), formToken.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String cookieValue) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(cookieValue));
    }
}
