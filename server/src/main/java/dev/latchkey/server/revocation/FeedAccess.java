package dev.latchkey.server.revocation;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthenticator;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.server.oidc.OAuthRequests;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Who may read the revocation feed: a confidential client, authenticated with the method it registered
 * (RFC 6749 §2.3; {@code client_secret_basic} in the {@code Authorization} header of a GET, or a POST form
 * for {@code client_secret_post} and {@code private_key_jwt}, RFC 7523 §2.2), whose registered scope holds
 * {@value #SCOPE}. Credentials in a GET's query string are ignored: URLs end up in logs.
 */
final class FeedAccess {
    static final String SCOPE = "latchkey:revocations";
    private static final RawParams NONE = new RawParams(Map.of());

    private final OAuthRequests requests;
    private final ClientAuthenticator authenticator;

    FeedAccess(OAuthRequests requests, ClientAuthenticator authenticator) {
        this.requests = requests;
        this.authenticator = authenticator;
    }

    /** The client, or {@code invalid_client} (401) / {@code insufficient_scope} (403, RFC 6750 §3.1). */
    Client authenticate(Context ctx) {
        RawParams form = "POST".equals(ctx.method().name()) ? requests.form(ctx) : NONE;
        Client c = authenticator.authenticate(OAuthRequests.clientCredentials(ctx, form));
        if (c.isPublic()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CLIENT, "Only confidential clients may read the revocation feed.",
                    "public client " + c.clientId() + " at the revocation feed");
        }
        if (!c.scopes().contains(SCOPE)) {
            throw LatchkeyException.withMessage(ErrorCode.INSUFFICIENT_SCOPE, "The client is not registered for the " + SCOPE + " scope.",
                    c.clientId() + " lacks " + SCOPE);
        }
        return c;
    }
}
