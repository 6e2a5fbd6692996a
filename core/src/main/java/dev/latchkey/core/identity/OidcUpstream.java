package dev.latchkey.core.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenID Connect relying party for one upstream provider (OIDC Core §3.1). Discovery (OIDC
 * Discovery §4, the document's {@code issuer} must equal the configured one) is cached an hour; the
 * provider's JWKS through Nimbus' caching source, refetched when a token names an unknown key. An ID
 * token must be signed (never {@code alg: none}) with an asymmetric algorithm the provider advertises
 * ({@code id_token_signing_alg_values_supported}; never an HMAC, whose "key" would be public), for
 * this client ({@code aud}, {@code azp}), by this issuer, unexpired (60 s skew), with our nonce.
 */
final class OidcUpstream {
    private static final Duration SKEW = Duration.ofSeconds(60);

    /** A provider's discovery document with its key source and the algorithms accepted from it. */
    private record Resolved(OIDCProviderMetadata metadata, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms) {
    }

    private final NimbusUpstreamClient client;
    private final Cache<String, Resolved> resolved = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(1000).build();

    OidcUpstream(NimbusUpstreamClient client) {
        this.client = client;
    }

    void forget(IdentityProvider p) {
        resolved.invalidate(key(p));
    }

    /** Cached per name and issuer, so a provider whose issuer changed (admin API) is discovered afresh. */
    private static String key(IdentityProvider p) {
        return p.name() + " " + p.endpoints().issuer().map(Object::toString).orElse("");
    }

    URI authorizationRequest(IdentityProvider p, URI redirectUri, String state, String nonce, String codeVerifier) throws UpstreamFailure {
        Resolved r = resolve(p);
        URI endpoint = p.endpoints().authorization().orElse(r.metadata().getAuthorizationEndpointURI());
        if (endpoint == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "discovery names no authorization endpoint");
        }
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(p.scopes().toArray(String[]::new)),
                new ClientID(p.clientId()), redirectUri).endpointURI(endpoint).state(new State(state)).nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (p.preset() == Preset.APPLE) {
            b.responseMode(ResponseMode.FORM_POST);   // Apple requires it whenever scopes are requested
        }
        return b.build().toURI();
    }

    UpstreamProfile exchange(IdentityProvider p, URI redirectUri, String code, String codeVerifier, String nonce) throws UpstreamFailure {
        Resolved r = resolve(p);
        URI tokenEndpoint = p.endpoints().token().orElse(r.metadata().getTokenEndpointURI());
        if (tokenEndpoint == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "discovery names no token endpoint");
        }
        HTTPResponse http = NimbusUpstreamClient.send(client.tokenRequest(p, tokenEndpoint, code, redirectUri, codeVerifier,
                r.metadata().getTokenEndpointAuthMethods()), UpstreamFailure.Step.TOKEN_EXCHANGE);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http);
        } catch (ParseException e) {
            throw NimbusUpstreamClient.unparsable(UpstreamFailure.Step.TOKEN_EXCHANGE, e);
        }
        if (!response.indicatesSuccess()) {
            throw NimbusUpstreamClient.tokenError(response.toErrorResponse().getErrorObject());
        }
        if (!(response.toSuccessResponse() instanceof OIDCTokenResponse ok) || ok.getOIDCTokens().getIDToken() == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.ID_TOKEN, "the token response has no ID token");
        }
        JWT idToken = ok.getOIDCTokens().getIDToken();
        IDTokenClaimsSet claims = validate(p, r, idToken, nonce);
        Map<String, Object> json = claims.toJSONObject();
        AccessToken at = ok.getOIDCTokens().getAccessToken();
        ClaimMapping m = p.claims();
        String email = NimbusUpstreamClient.string(json, m.email());
        boolean verified = NimbusUpstreamClient.bool(json, m.emailVerified());
        String name = NimbusUpstreamClient.string(json, m.name());
        URI userinfo = p.endpoints().userinfo().orElse(r.metadata().getUserInfoEndpointURI());
        if ((email == null || name == null) && userinfo != null) {
            Map<String, Object> info = userinfo(userinfo, at, claims.getSubject().getValue());
            if (email == null) {
                email = NimbusUpstreamClient.string(info, m.email());
                verified = NimbusUpstreamClient.bool(info, m.emailVerified());
            }
            name = name != null ? name : NimbusUpstreamClient.string(info, m.name());
        }
        String subject = m.subject().equals("sub") ? claims.getSubject().getValue() : NimbusUpstreamClient.string(json, m.subject());
        if (subject == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.ID_TOKEN, "the ID token has no " + m.subject() + " claim");
        }
        List<String> amr = amr(json);
        Instant expires = at.getLifetime() > 0 ? client.clock().instant().plusSeconds(at.getLifetime()) : null;
        String refresh = ok.getOIDCTokens().getRefreshToken() == null ? null : ok.getOIDCTokens().getRefreshToken().getValue();
        try {
            return new UpstreamProfile(subject, email, verified, name, amr, at.getValue(), refresh, expires);
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.ID_TOKEN, e.getMessage());
        }
    }

    private IDTokenClaimsSet validate(IdentityProvider p, Resolved r, JWT idToken, String nonce) throws UpstreamFailure {
        IDTokenValidator v = new IDTokenValidator(r.metadata().getIssuer(), new ClientID(p.clientId()),
                new JWSVerificationKeySelector<>(r.algorithms(), r.keys()), null);
        v.setMaxClockSkew((int) SKEW.toSeconds());
        try {
            return v.validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException | JOSEException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.ID_TOKEN, "ID token refused: " + e.getMessage());
        }
    }

    /** OIDC Core §5.3.2; §5.3.4: the userinfo {@code sub} must be the ID token's. */
    private static Map<String, Object> userinfo(URI endpoint, AccessToken at, String subject) throws UpstreamFailure {
        HTTPResponse http = NimbusUpstreamClient.send(new UserInfoRequest(endpoint, new BearerAccessToken(at.getValue())).toHTTPRequest(),
                UpstreamFailure.Step.USERINFO);
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(http);
        } catch (ParseException e) {
            throw NimbusUpstreamClient.unparsable(UpstreamFailure.Step.USERINFO, e);
        }
        if (!response.indicatesSuccess()) {
            throw new UpstreamFailure(UpstreamFailure.Step.USERINFO, "userinfo answered " + response.toErrorResponse().getErrorObject().getCode());
        }
        var info = response.toSuccessResponse().getUserInfo();
        if (info == null || !subject.equals(info.getSubject().getValue())) {
            throw new UpstreamFailure(UpstreamFailure.Step.USERINFO, "userinfo is not for the ID token's subject");
        }
        return info.toJSONObject();
    }

    private static List<String> amr(Map<String, Object> json) {
        if (json.get("amr") instanceof List<?> l) {
            return l.stream().filter(String.class::isInstance).map(String.class::cast).limit(20).toList();
        }
        return List.of();
    }

    private Resolved resolve(IdentityProvider p) throws UpstreamFailure {
        Resolved r = resolved.getIfPresent(key(p));
        if (r != null) {
            return r;
        }
        URI issuerUri = p.endpoints().issuer().orElseThrow();
        OIDCProviderMetadata md;
        try {
            md = OIDCProviderMetadata.resolve(new Issuer(issuerUri.toString()), NimbusUpstreamClient.CONNECT_TIMEOUT_MS,
                    NimbusUpstreamClient.READ_TIMEOUT_MS);
        } catch (GeneralException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "discovery document refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "discovery unreachable at " + issuerUri.getHost() + ": "
                    + e.getClass().getSimpleName());
        }
        if (md.getJWKSetURI() == null) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "discovery names no jwks_uri");
        }
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        List<JWSAlgorithm> advertised = md.getIDTokenJWSAlgs();
        for (JWSAlgorithm a : advertised == null || advertised.isEmpty() ? List.of(JWSAlgorithm.RS256) : advertised) {
            if (JWSAlgorithm.Family.RSA.contains(a) || JWSAlgorithm.Family.EC.contains(a) || JWSAlgorithm.Family.ED.contains(a)) {
                algs.add(a);
            }
        }
        if (algs.isEmpty()) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "the provider advertises no asymmetric ID-token algorithm");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(md.getJWKSetURI().toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new UpstreamFailure(UpstreamFailure.Step.DISCOVERY, "bad jwks_uri");
        }
        r = new Resolved(md, keys, Set.copyOf(algs));
        resolved.put(key(p), r);
        return r;
    }
}
