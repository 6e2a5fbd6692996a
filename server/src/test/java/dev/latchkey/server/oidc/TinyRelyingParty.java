package dev.latchkey.server.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A third-party web application that signs its users in with Latchkey, as small as one can be
 * while doing it right: {@code /login} starts code + PKCE (state, nonce), {@code /callback}
 * checks state and {@code iss}, exchanges the code with the Nimbus SDK, validates the ID token
 * against the JWKS and greets the user by name. Runs on {@code 127.0.0.1}, another site than the
 * Latchkey server on {@code localhost}.
 */
final class TinyRelyingParty implements AutoCloseable {
    private final HttpServer http;
    private final OIDCProviderMetadata provider;
    private final ClientID clientId;
    private final Secret secret;
    private final IDTokenValidator validator;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    final URI base;
    final URI redirectUri;

    private record Pending(CodeVerifier verifier, Nonce nonce) {
    }

    private TinyRelyingParty(HttpServer http, OIDCProviderMetadata provider, ClientID clientId, Secret secret) throws IOException {
        this.http = http;
        this.provider = provider;
        this.clientId = clientId;
        this.secret = secret;
        this.base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        this.redirectUri = base.resolve("/callback");
        // registered without id_token_signed_response_alg: RS256, the default every RP assumes
        this.validator = new IDTokenValidator(provider.getIssuer(), clientId, JWSAlgorithm.RS256, provider.getJWKSetURI().toURL());
    }

    /**
     * Starts the application as a confidential authorization-code client {@code clientId} registered at {@code fx}
     * (named {@code clientName}, allowed {@code scope}; {@code firstParty}: no consent page).
     */
    static TinyRelyingParty registered(OidcFixture fx, String clientId, String clientName, String scope, boolean firstParty)
            throws Exception {
        return start(fx.base, clientId, redirectUri -> fx.register("""
                {"client_id":"%s","client_name":"%s","redirect_uris":["%s"],"grant_types":["authorization_code"],
                 "scope":"%s","first_party":%s}""".formatted(clientId, clientName, redirectUri, scope, firstParty))
                .get("client_secret").asText());
    }

    /** Closes what a test class started, in the order given, skipping what never started (null). */
    static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * Starts the application for {@code clientId}; {@code register} is given its redirect URI
     * (known once the port is bound) and returns the client secret the provider issued.
     */
    static TinyRelyingParty start(String issuer, String clientId, Function<URI, String> register) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TinyRelyingParty rp;
        try {
            String secret = register.apply(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/callback"));
            rp = new TinyRelyingParty(http, OIDCProviderMetadata.resolve(new Issuer(issuer)), new ClientID(clientId), new Secret(secret));
        } catch (Exception | AssertionError e) {
            http.stop(0);
            throw e;
        }
        http.createContext("/login", rp::login);
        http.createContext("/callback", rp::callback);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return rp;
    }

    /** {@code /login[?scope=…][&prompt=…][&acr_values=…]}: off to the authorization endpoint. */
    private void login(HttpExchange ex) throws IOException {
        Map<String, String> q = OidcFixture.query(ex.getRequestURI().toString());
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        pending.put(state.getValue(), new Pending(verifier, nonce));
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE,
                Scope.parse(q.getOrDefault("scope", "openid profile")), clientId, redirectUri)
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(provider.getAuthorizationEndpointURI());
        if (q.containsKey("acr_values")) {
            b.acrValues(java.util.Arrays.stream(q.get("acr_values").split(" ")).map(com.nimbusds.openid.connect.sdk.claims.ACR::new).toList());
        }
        if (q.containsKey("prompt")) {
            try {
                b.prompt(Prompt.parse(q.get("prompt")));
            } catch (com.nimbusds.oauth2.sdk.ParseException e) {
                page(ex, 400, "<p id=\"error\">bad prompt</p>");
                return;
            }
        }
        ex.getResponseHeaders().add("Location", b.build().toURI().toString());
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    /** {@code /callback}: the authorization response, checked and redeemed. */
    private void callback(HttpExchange ex) throws IOException {
        try {
            AuthenticationResponse r = AuthenticationResponseParser.parse(base.resolve(ex.getRequestURI()));
            Pending p = r.getState() == null ? null : pending.remove(r.getState().getValue());
            if (p == null) {
                page(ex, 400, "<p id=\"error\">unknown state</p>");
                return;
            }
            if (r.getIssuer() == null || !r.getIssuer().equals(provider.getIssuer())) {
                page(ex, 400, "<p id=\"error\">wrong or missing iss (RFC 9207)</p>");
                return;
            }
            if (!r.indicatesSuccess()) {
                AuthorizationErrorResponse e = r.toErrorResponse();
                page(ex, 200, "<p id=\"error\">" + esc(e.getErrorObject().getCode()) + "</p>");
                return;
            }
            AuthenticationSuccessResponse ok = r.toSuccessResponse();
            TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(clientId, secret),
                    new AuthorizationCodeGrant(ok.getAuthorizationCode(), redirectUri, p.verifier())).toHTTPRequest().send());
            if (!tr.indicatesSuccess()) {
                page(ex, 502, "<p id=\"error\">token endpoint: " + esc(tr.toErrorResponse().getErrorObject().getCode()) + "</p>");
                return;
            }
            IDTokenClaimsSet claims = validator.validate(((OIDCTokenResponse) tr.toSuccessResponse()).getOIDCTokens().getIDToken(), p.nonce());
            String name = claims.getStringClaim("name");
            Object org = com.nimbusds.jwt.SignedJWT.parse(tr.toSuccessResponse().getTokens().getAccessToken().getValue()).getJWTClaimsSet()
                    .getClaim("org");
            page(ex, 200, "<h1 id=\"greeting\">Hello " + esc(name == null ? claims.getSubject().getValue() : name) + "</h1>"
                    + "<p id=\"subject\">" + esc(claims.getSubject().getValue()) + "</p>"
                    + "<p id=\"amr\">" + esc(String.join(" ", claims.getStringListClaim("amr") == null ? List.of() : claims.getStringListClaim("amr")))
                    + "</p><p id=\"acr\">" + esc(claims.getACR() == null ? "" : claims.getACR().getValue()) + "</p>"
                    + "<p id=\"org\">" + esc(org == null ? "" : org.toString()) + "</p>");
        } catch (Exception e) {
            page(ex, 500, "<p id=\"error\">" + esc(e.toString()) + "</p>");
        }
    }

    private static void page(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = ("<!doctype html><html><head><title>Tiny RP</title></head><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
