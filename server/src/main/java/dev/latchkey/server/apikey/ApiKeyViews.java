package dev.latchkey.server.apikey;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON shapes of API keys in the admin and first-party APIs: the creation body, a listed key, a created key (shown once). */
public final class ApiKeyViews {
    private ApiKeyViews() {
    }

    /** {@code {"name", "scope", "organization", "permissions", "expires_in"}} (seconds). */
    public record CreateBody(String name, String scope, String organization, List<String> permissions,
                             @JsonProperty("expires_in") Long expiresIn) {
        public UUID orgId() {
            if (organization == null) {
                return null;
            }
            try {
                return UUID.fromString(organization);
            } catch (IllegalArgumentException e) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "\"organization\" must be an organization id.", "bad org id");
            }
        }

        public Duration lifetime() {
            return expiresIn == null ? null : Duration.ofSeconds(expiresIn);
        }
    }

    public static Map<String, Object> render(ApiKey k, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id().toString());
        m.put("key_id", k.publicId());
        m.put("name", k.name());
        m.put("owner", Map.of("kind", k.owner().kind(), "id", k.owner().id().toString()));
        m.put("scope", String.join(" ", k.scopes()));
        m.put("organization", k.orgId() == null ? null : k.orgId().toString());
        m.put("permissions", k.permissions());
        m.put("state", k.state(now));
        m.put("created_at", k.createdAt().toString());
        m.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        m.put("last_used_at", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
        m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        return m;
    }

    /** A new key: its listing plus {@code "key"}, the text, which is never shown again. */
    public static Map<String, Object> created(ApiKeys.Created c, Instant now) {
        Map<String, Object> m = render(c.key(), now);
        m.put("key", c.text());
        return m;
    }
}
