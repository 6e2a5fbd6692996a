package dev.latchkey.server.config;

import dev.latchkey.core.apikey.PresentedApiKey;
import java.time.Duration;
import java.util.List;

/** Reads and validates the {@code api_keys.*} settings (part of {@link ConfigLoader}). */
final class ApiKeySettings {
    private ApiKeySettings() {
    }

    static LatchkeyConfig.ApiKeys read(MailSettings.Reader r, Duration accessTtl, List<String> problems) {
        String env = r.get(Settings.API_KEYS_ENV);
        if (env != null && !PresentedApiKey.validEnv(env)) {
            problems.add(Settings.API_KEYS_ENV.envName() + ": must be 1-16 lower-case letters");
        }
        Duration max = r.get(Settings.API_KEYS_MAX_LIFETIME);
        if (max != null && (max.compareTo(Duration.ofDays(1)) < 0 || max.compareTo(Duration.ofDays(3653)) > 0)) {
            problems.add(Settings.API_KEYS_MAX_LIFETIME.envName() + ": must be between 1 day and 10 years");
        }
        Duration ttl = r.get(Settings.API_KEYS_TOKEN_TTL);
        Duration limit = accessTtl == null ? Duration.ofMinutes(5) : accessTtl;
        if (ttl != null && (ttl.toSeconds() < 1 || ttl.compareTo(limit) > 0)) {
            problems.add(Settings.API_KEYS_TOKEN_TTL.envName() + ": must be between 1s and " + Settings.ACCESS_TTL.envName() + " (" + limit + ")");
        }
        return new LatchkeyConfig.ApiKeys(env, max, ttl == null ? limit : ttl);
    }
}
