package dev.latchkey.server.oidc;

/** Where the provider's endpoints live. */
public final class OidcPaths {
    public static final String AUTHORIZE = "/oauth2/authorize";
    public static final String TOKEN = "/oauth2/token";
    public static final String USERINFO = "/oauth2/userinfo";
    public static final String PAR = "/oauth2/par";
    public static final String REVOKE = "/oauth2/revoke";
    public static final String INTROSPECT = "/oauth2/introspect";
    public static final String LOGOUT = "/oauth2/logout";
    public static final String CONSENT = "/oauth2/consent";
    public static final String REVOCATION_FEED = "/api/revocations/events";
    /** The long-poll form of the revocation feed, for clients that cannot read Server-Sent Events. */
    public static final String REVOCATION_POLL = "/api/revocations";

    private OidcPaths() {
    }
}
