package dev.latchkey.gateway.session;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.crypto.RandomTokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session ids and login-flow values: 256 random bits, base64url, handed to the browser only. What is stored and
 * looked up is their HMAC-SHA256 under a key derived from the session key, so a database dump yields no usable
 * cookie (OWASP Session Management: session ID entropy; design: secrets stored as keyed hashes).
 */
public final class SessionIds {
    private final SecretKeySpec key;

    public SessionIds(MasterKey sessionKey) {
        this.key = new SecretKeySpec(sessionKey.derive("gateway/session-id"), "HmacSHA256");
    }

    /** A fresh random value (43 base64url characters). */
    public static String newValue() {
        return RandomTokens.token(32);
    }

    /** The keyed hash stored for {@code value}; a malformed value still hashes (and then matches nothing). */
    public byte[] hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
