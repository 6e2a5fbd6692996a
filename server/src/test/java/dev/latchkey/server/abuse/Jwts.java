package dev.latchkey.server.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.Http;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWS for the attacks a library would refuse to build: alg none, HMAC keyed with a public key, edited headers. */
final class Jwts {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private Jwts() {
    }

    static ObjectNode header(String jwt) {
        return (ObjectNode) json(jwt.split("\\.")[0]);
    }

    static ObjectNode payload(String jwt) {
        return (ObjectNode) json(jwt.split("\\.")[1]);
    }

    private static JsonNode json(String part) {
        try {
            return Http.JSON.readTree(DEC.decode(part));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String b64(JsonNode n) {
        return ENC.encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code header.payload.} with no signature: alg none (RFC 7519 §6, refused by RFC 8725 §3.1). */
    static String unsigned(ObjectNode header, ObjectNode payload) {
        return b64(header) + "." + b64(payload) + ".";
    }

    /** HS256 over header and payload keyed with {@code key} (the algorithm-confusion attack, RFC 8725 §2.1). */
    static String hs256(ObjectNode header, ObjectNode payload, byte[] key) {
        String input = b64(header) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return input + "." + ENC.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The token with its header replaced and the original signature kept. */
    static String withHeader(String jwt, ObjectNode header) {
        String[] p = jwt.split("\\.");
        return b64(header) + "." + p[1] + "." + p[2];
    }
}
