package dev.latchkey.sdk.http;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.sdk.token.RejectReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An HTTP refusal: status, the RFC 6750 §3 {@code WWW-Authenticate} challenge when one applies, and an
 * RFC 9457 {@code application/problem+json} body. Built only through the factories, so the wire format
 * lives in one place.
 *
 * @param challenge the {@code WWW-Authenticate} value, if any
 * @param body      the problem document
 */
public record Refusal(int status, Optional<String> challenge, String body) {
    public static final String CONTENT_TYPE = "application/problem+json";

    /** The refusal for a request that did not authenticate; empty when it did. */
    public static Optional<Refusal> of(Authentication authentication, String realm) {
        return switch (authentication) {
            case Authentication.Authenticated a -> Optional.empty();
            // §3.1: no credentials → a challenge without an error code
            case Authentication.Anonymous a -> Optional.of(new Refusal(401,
                    Optional.of("Bearer realm=\"" + realm + "\""),
                    problem(401, "Unauthorized", "This resource requires a bearer access token")));
            case Authentication.InvalidRequest r -> Optional.of(new Refusal(400,
                    Optional.of(challenge(realm, "invalid_request", r.description())),
                    problem(400, "Bad Request", r.description())));
            case Authentication.Rejected r when r.reason() == RejectReason.KEYS_UNAVAILABLE -> Optional.of(new Refusal(503,
                    Optional.empty(), problem(503, "Service Unavailable", r.reason().description())));
            case Authentication.Rejected r -> Optional.of(new Refusal(401,
                    Optional.of(challenge(realm, "invalid_token", r.reason().description())),
                    problem(401, "Unauthorized", r.reason().description())));
        };
    }

    public static Refusal of(Denial denial, String realm) {
        return switch (denial) {
            case Denial.InsufficientScope s -> new Refusal(403,
                    Optional.of(challenge(realm, "insufficient_scope", "The access token lacks a required scope")
                            + ", scope=\"" + String.join(" ", new TreeSet<>(s.required())) + "\""),
                    problem(403, "Forbidden", "The access token lacks a required scope"));
            case Denial.InsufficientAuthentication a -> new Refusal(401,
                    Optional.of(challenge(realm, "insufficient_user_authentication", a.maxAgeSeconds().isPresent()
                            ? "A more recent authentication is required" : "A stronger authentication is required")
                            + (a.acrValues().isEmpty() ? "" : ", acr_values=\"" + String.join(" ", new TreeSet<>(a.acrValues())) + "\"")
                            + (a.maxAgeSeconds().isPresent() ? ", max_age=\"" + a.maxAgeSeconds().getAsLong() + "\"" : "")),
                    problem(401, "Unauthorized", "The sign-in behind this token is not strong or recent enough (RFC 9470)"));
            case Denial.Forbidden f -> new Refusal(403, Optional.empty(),
                    problem(403, "Forbidden", "The principal may not access this resource"));
        };
    }

    /** Checks a realm is safe inside a quoted-string (RFC 7235 §2.2): printable ASCII without {@code "} or {@code \}. */
    public static String checkRealm(String realm) {
        if (realm == null || realm.isEmpty() || !realm.chars().allMatch(c -> c >= 0x20 && c <= 0x7E && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("realm must be printable ASCII without quotes or backslashes");
        }
        return realm;
    }

    private static String challenge(String realm, String error, String description) {
        return "Bearer realm=\"" + realm + "\", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    private static String problem(int status, String title, String detail) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", "about:blank");
        doc.put("title", title);
        doc.put("status", status);
        doc.put("detail", detail);
        return JSONObjectUtils.toJSONString(doc);
    }
}
