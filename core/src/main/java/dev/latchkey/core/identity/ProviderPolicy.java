package dev.latchkey.core.identity;

import java.util.List;
import java.util.Locale;

/**
 * What Latchkey lets an upstream provider do (docs/identity-providers.md, "Linking rules").
 *
 * @param mayCreateUsers    a first sign-in with an unknown identity creates a Latchkey user
 * @param trustedEmails     the provider's {@code email_verified} is believed: the new user's address is marked
 *                          verified, and an identity whose verified address matches an existing account links to
 *                          it without the user signing in to that account first. Off by default: no silent linking.
 * @param allowedDomains    when not empty, only verified addresses in these domains may sign in
 * @param storeTokens       keep the upstream access and refresh tokens (encrypted) for later API calls
 * @param trustUpstreamMfa  an upstream {@code amr} containing {@code mfa} counts as the second factor
 */
public record ProviderPolicy(boolean mayCreateUsers, boolean trustedEmails, List<String> allowedDomains, boolean storeTokens,
                             boolean trustUpstreamMfa) {
    public static final ProviderPolicy DEFAULT = new ProviderPolicy(true, false, List.of(), false, false);

    public ProviderPolicy {
        allowedDomains = allowedDomains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
        for (String d : allowedDomains) {
            if (!d.matches("[a-z0-9]([a-z0-9\\-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9\\-]*[a-z0-9])?)+")) {
                throw new IllegalArgumentException("allowed domain '" + d + "' is not a domain name");
            }
        }
    }

    /** Whether an address may sign in under the domain restriction (an unverified address never passes one). */
    public boolean domainAllowed(String email, boolean verified) {
        if (allowedDomains.isEmpty()) {
            return true;
        }
        if (email == null || !verified) {
            return false;
        }
        int at = email.lastIndexOf('@');
        return at > 0 && allowedDomains.contains(email.substring(at + 1).toLowerCase(Locale.ROOT));
    }
}
