package dev.latchkey.core.identity;

import java.net.URI;
import java.util.Optional;

/**
 * Where an upstream provider is. An OpenID Connect provider needs only its {@code issuer} (the rest
 * comes from discovery, OIDC Discovery §4); endpoints given here override discovered ones. A plain
 * OAuth 2.0 provider needs the authorization, token and user endpoints, and may have an e-mails
 * endpoint (GitHub's {@code /user/emails}) listing addresses with their verified and primary flags.
 */
public record ProviderEndpoints(Optional<URI> issuer, Optional<URI> authorization, Optional<URI> token, Optional<URI> userinfo,
                                Optional<URI> emails) {
    public ProviderEndpoints {
        issuer.ifPresent(u -> check(u, "issuer"));
        authorization.ifPresent(u -> check(u, "authorization endpoint"));
        token.ifPresent(u -> check(u, "token endpoint"));
        userinfo.ifPresent(u -> check(u, "userinfo endpoint"));
        emails.ifPresent(u -> check(u, "e-mails endpoint"));
    }

    public static ProviderEndpoints ofIssuer(URI issuer) {
        return new ProviderEndpoints(Optional.of(issuer), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** https, or http only for a loopback host (development and tests). */
    static void check(URI u, String what) {
        String scheme = u.getScheme();
        String host = u.getHost();
        if (host == null || !u.isAbsolute() || u.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must be an absolute URL without a fragment");
        }
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
            throw new IllegalArgumentException(what + " must be https (http only for localhost)");
        }
    }
}
