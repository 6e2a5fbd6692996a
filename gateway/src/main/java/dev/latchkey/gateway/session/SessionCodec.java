package dev.latchkey.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.crypto.MasterKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Seals a session's claims and tokens (AES-256-GCM through {@link MasterKey#seal}); the associated data names the
 * row ({@code gateway-session:<id hash>}), so a sealed blob copied to another row does not open.
 */
final class SessionCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MasterKey key;

    SessionCodec(MasterKey key) {
        this.key = key;
    }

    byte[] seal(byte[] idHash, UserClaims u, SessionTokens t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sub", u.sub());
        u.email().ifPresent(v -> n.put("email", v));
        n.put("email_verified", u.emailVerified());
        u.name().ifPresent(v -> n.put("name", v));
        u.org().ifPresent(v -> n.put("org", v));
        u.roles().forEach(n.putArray("roles")::add);
        if (u.roles().isEmpty()) {
            n.putArray("roles");
        }
        u.sid().ifPresent(v -> n.put("sid", v));
        u.access().permissions().forEach(n.putArray("permissions")::add);
        u.access().acr().ifPresent(v -> n.put("acr", v));
        u.access().amr().forEach(n.putArray("amr")::add);
        u.access().authTime().ifPresent(v -> n.put("auth_time", v.getEpochSecond()));
        n.put("at", t.accessToken());
        n.put("at_iat", t.accessIssuedAt().toEpochMilli());
        n.put("at_exp", t.accessExpiresAt().toEpochMilli());
        t.refreshToken().ifPresent(v -> n.put("rt", v));
        n.put("idt", t.idToken());
        try {
            return key.seal(JSON.writeValueAsBytes(n), context(idHash));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Opened(UserClaims user, SessionTokens tokens) {
    }

    Opened open(byte[] idHash, byte[] sealed) {
        JsonNode n;
        try {
            n = JSON.readTree(key.open(sealed, context(idHash)));
        } catch (IOException e) {
            throw new IllegalStateException("a sealed session is not JSON", e);
        }
        List<String> roles = new ArrayList<>();
        n.path("roles").forEach(r -> roles.add(r.asText()));
        UserClaims.Access access = new UserClaims.Access(strings(n, "permissions"), text(n, "acr"), strings(n, "amr"),
                n.hasNonNull("auth_time") ? Optional.of(Instant.ofEpochSecond(n.get("auth_time").asLong())) : Optional.empty());
        UserClaims u = new UserClaims(n.get("sub").asText(), text(n, "email"), n.path("email_verified").asBoolean(false),
                text(n, "name"), text(n, "org"), roles, text(n, "sid"), access);
        String at = n.get("at").asText();
        Instant expires = Instant.ofEpochMilli(n.get("at_exp").asLong());
        Instant issued = n.hasNonNull("at_iat") ? Instant.ofEpochMilli(n.get("at_iat").asLong()) : issuedFromClaims(at, expires);
        SessionTokens t = new SessionTokens(at, issued, expires, text(n, "rt"), n.get("idt").asText());
        return new Opened(u, t);
    }

    /** Sessions sealed before at_iat was kept: the token's own lifetime (exp - iat) back from its expiry, else none. */
    private static Instant issuedFromClaims(String accessToken, Instant expires) {
        try {
            JWTClaimsSet c = JWTParser.parse(accessToken).getJWTClaimsSet();
            if (c.getIssueTime() != null && c.getExpirationTime() != null && !c.getIssueTime().after(c.getExpirationTime())) {
                return expires.minus(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()));
            }
        } catch (ParseException e) {
            // not a JWT: no lifetime known, so no cap on the refresh margin
        }
        return Instant.EPOCH;
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static String context(byte[] idHash) {
        return "gateway-session:" + HexFormat.of().formatHex(idHash);
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }
}
