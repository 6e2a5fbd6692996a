package dev.latchkey.server.config;

import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.ProviderDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The upstream identity providers of the configuration: {@code idp.providers} lists the names, and each
 * provider's fields ({@link ProviderDefinition#FIELDS}) are {@code idp.<name>.<field>} in the file or
 * {@code LATCHKEY_IDP_<NAME>_<FIELD>} in the environment (which wins). docs/identity-providers.md.
 */
final class IdpSettings {
    private IdpSettings() {
    }

    /** Whether a file key is a provider field ({@code idp.<name>.<field>}). */
    static boolean fileKey(String key) {
        String[] parts = key.split("\\.");
        return parts.length == 3 && parts[0].equals("idp") && parts[1].matches(IdentityProvider.NAME_PATTERN)
                && ProviderDefinition.known(parts[2]);
    }

    static String envName(String name, String field) {
        return "LATCHKEY_IDP_" + name.toUpperCase(Locale.ROOT) + "_" + field.toUpperCase(Locale.ROOT);
    }

    static List<IdentityProvider> read(List<String> names, Map<String, String> env, Map<String, String> file, List<String> problems) {
        List<IdentityProvider> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : names == null ? List.<String>of() : names) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (!name.matches(IdentityProvider.NAME_PATTERN)) {
                problems.add(Settings.IDP_PROVIDERS.envName() + ": '" + raw + "' is not a provider name (1 to 32 lower-case letters and digits)");
                continue;
            }
            if (!seen.add(name)) {
                problems.add(Settings.IDP_PROVIDERS.envName() + ": '" + name + "' is listed twice");
                continue;
            }
            try {
                out.add(ProviderDefinition.build(name, field -> {
                    String v = env.get(envName(name, field));
                    return v != null ? v : file.get("idp." + name + "." + field);
                }));
            } catch (IllegalArgumentException e) {
                for (String line : e.getMessage().split("\n")) {
                    problems.add("identity provider " + name + " (LATCHKEY_IDP_" + name.toUpperCase(Locale.ROOT) + "_…): " + line);
                }
            }
        }
        return List.copyOf(out);
    }
}
