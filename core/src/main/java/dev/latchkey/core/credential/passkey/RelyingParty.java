package dev.latchkey.core.credential.passkey;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The WebAuthn Relying Party (WebAuthn Level 3 §5.1.4.1, §13.4.9): its RP ID, a domain the origins
 * are equal to or a subdomain of (the public URL's host, or a parent domain configured so passkeys
 * work across sibling subdomains), its display name, the exact origins ceremonies may come from, and
 * how long a challenge lives.
 */
public record RelyingParty(String id, String name, Set<String> origins, Duration challengeTtl) {
    /** Challenges live 5 minutes by default (the timeout the browser gets, too). */
    public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(5);

    public RelyingParty {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        origins = Set.copyOf(new LinkedHashSet<>(origins));
        Objects.requireNonNull(challengeTtl, "challengeTtl");
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("a relying party has at least one origin");
        }
        for (String o : origins) {
            String host = URI.create(o).getHost();
            if (!coveredBy(host, id)) {
                throw new IllegalArgumentException("origin " + o + " is not within RP ID " + id);
            }
        }
    }

    /**
     * The relying party of a deployment: RP ID {@code configuredId} when set (it must be the public
     * URL's host or a parent domain of it), else the public URL's host; origins the public URL's
     * origin plus {@code extraOrigins}.
     */
    public static RelyingParty of(URI publicUrl, String configuredId, List<String> extraOrigins, String name) {
        String host = publicUrl.getHost().toLowerCase(Locale.ROOT);
        String id = configuredId == null || configuredId.isBlank() ? host : configuredId.strip().toLowerCase(Locale.ROOT);
        List<String> origins = new ArrayList<>();
        origins.add(origin(publicUrl));
        for (String o : extraOrigins) {
            origins.add(origin(URI.create(o.strip())));
        }
        return new RelyingParty(id, name, new LinkedHashSet<>(origins), DEFAULT_CHALLENGE_TTL);
    }

    /** Problems with a configured RP ID and extra origins (for startup validation), empty when fine. */
    public static List<String> problems(URI publicUrl, String configuredId, List<String> extraOrigins) {
        List<String> out = new ArrayList<>();
        String host = publicUrl.getHost() == null ? "" : publicUrl.getHost().toLowerCase(Locale.ROOT);
        String id = configuredId == null || configuredId.isBlank() ? host : configuredId.strip().toLowerCase(Locale.ROOT);
        if (!id.isEmpty() && (id.startsWith(".") || id.contains(":") || id.contains("/"))) {
            out.add("must be a bare domain (no scheme, port or path): " + id);
        } else if (!coveredBy(host, id)) {
            out.add("must be the public URL's host " + host + " or a parent domain of it: " + id);
        } else if (!id.contains(".") && !id.equals("localhost") && !id.equals(host)) {
            out.add("a top-level domain cannot be an RP ID: " + id);
        }
        for (String o : extraOrigins) {
            try {
                URI u = URI.create(o.strip());
                if (u.getScheme() == null || u.getHost() == null || (u.getRawPath() != null && u.getRawPath().length() > 1)) {
                    out.add("an origin is scheme://host[:port]: " + o);
                } else if (!coveredBy(u.getHost().toLowerCase(Locale.ROOT), id)) {
                    out.add("origin " + o + " is not within RP ID " + id);
                } else if (!"https".equals(u.getScheme()) && !"localhost".equals(u.getHost())) {
                    out.add("origin " + o + " must be https (http only for localhost)");
                }
            } catch (IllegalArgumentException e) {
                out.add("not a URL: " + o);
            }
        }
        return out;
    }

    static boolean coveredBy(String host, String rpId) {
        return host != null && (host.equals(rpId) || host.endsWith("." + rpId));
    }

    static String origin(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
