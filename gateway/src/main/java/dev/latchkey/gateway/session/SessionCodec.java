package dev.latchkey.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.crypto.MasterKey;
import java.io.IOException;
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
        n.put("at", t.accessToken());
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
        UserClaims u = new UserClaims(n.get("sub").asText(), text(n, "email"), n.path("email_verified").asBoolean(false),
                text(n, "name"), text(n, "org"), roles, text(n, "sid"));
        SessionTokens t = new SessionTokens(n.get("at").asText(), Instant.ofEpochMilli(n.get("at_exp").asLong()), text(n, "rt"),
                n.get("idt").asText());
        return new Opened(u, t);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static String context(byte[] idHash) {
        return "gateway-session:" + HexFormat.of().formatHex(idHash);
    }
}
