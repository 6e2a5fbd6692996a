package dev.latchkey.core.identity;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A plain OAuth 2.0 client (RFC 6749 §4.1 with PKCE, RFC 7636) for providers without OpenID Connect,
 * GitHub-style: the subject, name and address come from the user endpoint; when an e-mails endpoint is
 * configured the address is the one marked {@code primary} and {@code verified} there (no other, and
 * none when the primary is unverified), and is then verified by the provider's word.
 */
final class OAuth2Upstream {
    private final NimbusUpstreamClient client;

    OAuth2Upstream(NimbusUpstreamClient client) {
        this.client = client;
    }

    URI authorizationRequest(IdentityProvider p, URI redirectUri, String state, String codeVerifier) {
        AuthorizationRequest.Builder b = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(p.clientId()))
                .endpointURI(p.endpoints().authorization().orElseThrow()).redirectionURI(redirectUri).state(new State(state))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (!p.scopes().isEmpty()) {
            b.scope(new Scope(p.scopes().toArray(String[]::new)));
        }
        return b.build().toURI();
    }

    UpstreamProfile exchange(IdentityProvider p, URI redirectUri, String code, String codeVerifier) throws UpstreamFailure {
        HTTPResponse http = NimbusUpstreamClient.send(client.tokenRequest(p, p.endpoints().token().orElseThrow(), code, redirectUri,
                codeVerifier, null), UpstreamFailure.Step.TOKEN_EXCHANGE);
        TokenResponse response;
        try {
            response = TokenResponse.parse(http);
        } catch (ParseException e) {
            throw NimbusUpstreamClient.unparsable(UpstreamFailure.Step.TOKEN_EXCHANGE, e);
        }
        if (!response.indicatesSuccess()) {
            throw NimbusUpstreamClient.tokenError(response.toErrorResponse().getErrorObject());
        }
        AccessTokenResponse ok = response.toSuccessResponse();
        AccessToken at = ok.getTokens().getAccessToken();
        Map<String, Object> user = object(get(p.endpoints().userinfo().orElseThrow(), at, UpstreamFailure.Step.USERINFO));
        ClaimMapping m = p.claims();
        String subject = NimbusUpstreamClient.string(user, m.subject());
        if (subject == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.USERINFO, "the user endpoint has no " + m.subject() + " field");
        }
        String email;
        boolean verified;
        if (p.endpoints().emails().isPresent()) {
            email = primaryVerified(get(p.endpoints().emails().get(), at, UpstreamFailure.Step.EMAILS));
            verified = email != null;
        } else {
            email = NimbusUpstreamClient.string(user, m.email());
            verified = NimbusUpstreamClient.bool(user, m.emailVerified());
        }
        Instant expires = at.getLifetime() > 0 ? client.clock().instant().plusSeconds(at.getLifetime()) : null;
        String refresh = ok.getTokens().getRefreshToken() == null ? null : ok.getTokens().getRefreshToken().getValue();
        try {
            return new UpstreamProfile(subject, email, verified, NimbusUpstreamClient.string(user, m.name()), List.of(), at.getValue(),
                    refresh, expires);
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.USERINFO, e.getMessage());
        }
    }

    private static String get(URI endpoint, AccessToken at, UpstreamFailure.Step step) throws UpstreamFailure {
        HTTPRequest h = new HTTPRequest(HTTPRequest.Method.GET, endpoint);
        h.setAuthorization("Bearer " + at.getValue());
        h.setAccept("application/json");
        HTTPResponse r = NimbusUpstreamClient.send(h, step);
        if (r.getStatusCode() != 200) {
            throw new UpstreamFailure(step, endpoint.getPath() + " answered HTTP " + r.getStatusCode());
        }
        String body = r.getBody();
        if (body == null || body.length() > 1_000_000) {
            throw new UpstreamFailure(step, endpoint.getPath() + " answered no or an oversized body");
        }
        return body;
    }

    private static Map<String, Object> object(String body) throws UpstreamFailure {
        try {
            return JSONObjectUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.USERINFO, "the user endpoint answered no JSON object");
        }
    }

    /** The primary address if it is verified, else none: a secondary or unverified address never stands in. */
    static String primaryVerified(String body) throws UpstreamFailure {
        List<Object> list;
        try {
            list = JSONArrayUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.EMAILS, "the e-mails endpoint answered no JSON array");
        }
        for (Object o : list) {
            if (o instanceof Map<?, ?> e && Boolean.TRUE.equals(e.get("primary"))) {
                return Boolean.TRUE.equals(e.get("verified")) && e.get("email") instanceof String s && !s.isEmpty() ? s : null;
            }
        }
        return null;
    }
}
