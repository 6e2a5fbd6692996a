package dev.latchkey.core.identity;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The upstream client on the Nimbus OAuth 2.0 / OIDC SDK: {@link OidcUpstream} for OpenID Connect
 * providers, {@link OAuth2Upstream} for plain OAuth 2.0 ones. Every call has connect and read timeouts;
 * no token is ever logged.
 */
public final class NimbusUpstreamClient implements UpstreamClient {
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_MS = 10_000;

    private final OidcUpstream oidc;
    private final OAuth2Upstream oauth2;
    private final Clock clock;

    public NimbusUpstreamClient(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.oidc = new OidcUpstream(this);
        this.oauth2 = new OAuth2Upstream(this);
    }

    @Override
    public URI authorizationRequest(IdentityProvider p, URI redirectUri, String state, String nonce, String codeVerifier)
            throws UpstreamFailure {
        return p.type() == ProviderType.OIDC ? oidc.authorizationRequest(p, redirectUri, state, nonce, codeVerifier)
                : oauth2.authorizationRequest(p, redirectUri, state, codeVerifier);
    }

    @Override
    public UpstreamProfile exchange(IdentityProvider p, URI redirectUri, String code, String codeVerifier, String nonce)
            throws UpstreamFailure {
        return p.type() == ProviderType.OIDC ? oidc.exchange(p, redirectUri, code, codeVerifier, nonce)
                : oauth2.exchange(p, redirectUri, code, codeVerifier);
    }

    /** Drops cached discovery documents and key sets (after a provider's configuration changed). */
    public void forget(IdentityProvider p) {
        oidc.forget(p);
    }

    Clock clock() {
        return clock;
    }

    /** The token request (RFC 6749 §4.1.3) with the client authentication the provider takes. */
    HTTPRequest tokenRequest(IdentityProvider p, URI tokenEndpoint, String code, URI redirectUri, String codeVerifier,
                             List<ClientAuthenticationMethod> supported) {
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier));
        ClientID clientId = new ClientID(p.clientId());
        String secret = p.apple().isPresent() ? AppleClientSecret.sign(p.apple().get(), p.clientId(), p.clientSecret(), clock.instant())
                : p.clientSecret();
        TokenRequest tr;
        if (secret == null) {
            tr = new TokenRequest(tokenEndpoint, clientId, grant, null);
        } else {
            boolean post = p.apple().isPresent() || (supported != null && !supported.isEmpty()
                    && !supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC) && supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST));
            ClientAuthentication auth = post ? new ClientSecretPost(clientId, new Secret(secret)) : new ClientSecretBasic(clientId, new Secret(secret));
            tr = new TokenRequest(tokenEndpoint, auth, grant, (Scope) null);
        }
        HTTPRequest h = tr.toHTTPRequest();
        h.setAccept("application/json");
        return h;
    }

    static HTTPResponse send(HTTPRequest h, UpstreamFailure.Step step) throws UpstreamFailure {
        h.setConnectTimeout(CONNECT_TIMEOUT_MS);
        h.setReadTimeout(READ_TIMEOUT_MS);
        try {
            return h.send();
        } catch (IOException e) {
            throw new UpstreamFailure(step, "provider unreachable at " + h.getURI().getHost() + ": " + e.getClass().getSimpleName());
        }
    }

    static UpstreamFailure tokenError(ErrorObject error) {
        String code = error == null || error.getCode() == null ? "unknown" : error.getCode();
        return new UpstreamFailure(UpstreamFailure.Step.TOKEN_EXCHANGE, "token endpoint answered " + code
                + (error == null ? "" : " (HTTP " + error.getHTTPStatusCode() + ")"), code);
    }

    static UpstreamFailure unparsable(UpstreamFailure.Step step, ParseException e) {
        return new UpstreamFailure(step, "unreadable answer: " + e.getMessage());
    }

    /** A string claim, or null; numbers (GitHub's user id) as their decimal form. */
    static String string(Map<String, Object> json, String name) {
        Object v = json.get(name);
        if (v instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (v instanceof Number n) {
            return n instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : n.toString();
        }
        return null;
    }

    /** {@code email_verified} as a boolean (some providers send the string "true"). */
    static boolean bool(Map<String, Object> json, String name) {
        Object v = json.get(name);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }
}
