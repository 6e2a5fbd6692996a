package dev.latchkey.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JOSE attacks (RFC 8725 §2–§3) against every place the server verifies a JWT — the bearer
 * checks of userinfo, introspection and the first-party API, the logout endpoint's
 * {@code id_token_hint}, private_key_jwt client assertions — and against the SDK's verifier:
 * alg none, HS256 keyed with the public key (algorithm confusion), unknown kid, a key embedded in
 * the header, an edited payload and a token of the wrong type. Each attack is checked against a
 * control: the genuine token passes the same path.
 */
class JoseAbuseTest {
    static final String CB = "https://rp.example.test/cb";
    static OidcFixture fx;
    static String secret;
    static ECKey clientKey;
    static JsonNode jwks;
    static String accessToken;
    static String firstPartyToken;
    static String idToken;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of());
        secret = fx.register("""
                {"client_id":"rp","redirect_uris":["https://rp.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile email"}""").get("client_secret").asText();
        clientKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        fx.register("""
                {"client_id":"pk","token_endpoint_auth_method":"private_key_jwt","grant_types":["client_credentials"],
                 "scope":"api:read","jwks":%s}""".formatted(new JWKSet(clientKey.toPublicJWK()).toString()));
        jwks = new Http(fx.base).get("/.well-known/jwks.json").json();
        String email = fx.newUser();
        String v = OidcFixture.verifier();
        String back = fx.browse(new Http(fx.base), fx.base + "/oauth2/authorize?response_type=code&client_id=rp&scope=openid&state=s&nonce=n"
                + "&redirect_uri=" + URLEncoder.encode(CB, StandardCharsets.UTF_8) + "&code_challenge=" + OidcFixture.challenge(v)
                + "&code_challenge_method=S256", email, CB);
        JsonNode tokens = new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=" + OidcFixture.query(back).get("code") + "&redirect_uri="
                        + URLEncoder.encode(CB, StandardCharsets.UTF_8) + "&code_verifier=" + v,
                "Authorization", basic("rp", secret)).json();
        accessToken = tokens.get("access_token").asText();
        idToken = tokens.get("id_token").asText();
        firstPartyToken = new Http(fx.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
                + OidcFixture.PASSWORD + "\"}").json().get("access_token").asText();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static String basic(String id, String s) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + s).getBytes(StandardCharsets.UTF_8));
    }

    /** The server's published key with {@code kid}, and the byte strings an HMAC-confusion attacker would key with. */
    static List<byte[]> publicKeyBytes(String kid) throws Exception {
        JsonNode jwk = null;
        for (JsonNode k : jwks.get("keys")) {
            if (k.get("kid").asText().equals(kid)) {
                jwk = k;
            }
        }
        assertThat(jwk).as("kid " + kid + " is published").isNotNull();
        return keyBytes(JWK.parse(jwk.toString()));
    }

    static List<byte[]> keyBytes(JWK key) throws Exception {
        PublicKey pub = key instanceof ECKey ec ? ec.toECPublicKey() : ((RSAKey) key).toRSAPublicKey();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pub.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        return List.of(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), pub.getEncoded(),
                pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** Forgeries of a server-signed token: alg none (several spellings), HS256 with its public key, unknown kid, embedded jwk, edited payload. */
    static Map<String, String> forgeries(String genuine) throws Exception {
        ObjectNode h = Jwts.header(genuine);
        ObjectNode p = Jwts.payload(genuine);
        String kid = h.get("kid").asText();
        Map<String, String> out = new LinkedHashMap<>();
        for (String none : new String[] {"none", "None", "NONE", "nOnE"}) {
            out.put("alg " + none, Jwts.unsigned(h.deepCopy().put("alg", none), p));
            out.put("alg " + none + " with the genuine signature", Jwts.withHeader(genuine, h.deepCopy().put("alg", none)));
        }
        List<byte[]> keys = publicKeyBytes(kid);
        String[] forms = {"JWK JSON", "SPKI DER", "PEM"};
        for (int i = 0; i < keys.size(); i++) {
            out.put("HS256 keyed with the " + forms[i] + " public key", Jwts.hs256(h.deepCopy().put("alg", "HS256"), p, keys.get(i)));
        }
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("attacker").generate();
        out.put("unknown kid", sign(attacker, h.deepCopy().put("alg", "ES256").put("kid", "attacker"), p));
        out.put("genuine kid, attacker's key", sign(attacker, h.deepCopy().put("alg", "ES256"), p));
        ObjectNode embedded = h.deepCopy().put("alg", "ES256").put("kid", "attacker");
        embedded.set("jwk", Http.JSON.readTree(attacker.toPublicJWK().toJSONString()));
        out.put("key embedded in the header (jwk)", sign(attacker, embedded, p));
        out.put("key set elsewhere (jku)", sign(attacker, h.deepCopy().put("alg", "ES256").put("kid", "attacker")
                .put("jku", "http://127.0.0.1:9/jwks.json"), p));
        String[] parts = genuine.split("\\.");
        out.put("edited payload", parts[0] + "." + Jwts.b64(p.deepCopy().put("sub", UUID.randomUUID().toString())) + "." + parts[2]);
        out.put("no signature part", genuine.substring(0, genuine.lastIndexOf('.')));
        return out;
    }

    static String sign(ECKey key, ObjectNode header, ObjectNode payload) throws Exception {
        JWSHeader jh = JWSHeader.parse(new Base64URL(Jwts.b64(header)));
        SignedJWT jwt = new SignedJWT(jh, JWTClaimsSet.parse(payload.toString()));
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The result of presenting {@code token} as an access token at each verifier; "accepted" where it passed. */
    static Map<String, String> asAccessToken(String token) {
        Map<String, String> seen = new LinkedHashMap<>();
        Http h = new Http(fx.base);
        Http.Response ui = h.get("/oauth2/userinfo", "Authorization", "Bearer " + token);
        seen.put("userinfo", ui.status() == 200 ? "accepted" : ui.status() + " " + ui.header("WWW-Authenticate"));
        Http.Response me = h.get("/api/auth/me", "Authorization", "Bearer " + token);
        seen.put("first-party /me", me.status() == 200 ? "accepted" : me.status() + " " + me.code());
        Http.Response in = h.post("/oauth2/introspect", "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "Authorization", basic("rp", secret));
        seen.put("introspection", in.status() == 200 && in.json().get("active").asBoolean() ? "accepted" : in.body());
        try {
            TokenVerifier sdk = TokenVerifier.builder().issuer(fx.base).audience(audience(accessToken), audience(firstPartyToken)).build();
            sdk.verify(token);
            seen.put("sdk", "accepted");
        } catch (TokenRejectedException e) {
            seen.put("sdk", e.reason().name());
        }
        return seen;
    }

    static String audience(String token) {
        JsonNode aud = Jwts.payload(token).get("aud");
        return aud.isArray() ? aud.get(0).asText() : aud.asText();
    }

    @Test
    void forgedAccessTokensAreRefusedEverywhere() throws Exception {
        // controls: the genuine tokens pass where they belong (the first-party API takes only its own client's tokens)
        assertThat(asAccessToken(accessToken)).containsEntry("userinfo", "accepted").containsEntry("introspection", "accepted")
                .containsEntry("sdk", "accepted");
        assertThat(asAccessToken(firstPartyToken)).containsEntry("first-party /me", "accepted").containsEntry("sdk", "accepted");
        for (String genuine : new String[] {accessToken, firstPartyToken}) {
            for (Map.Entry<String, String> f : forgeries(genuine).entrySet()) {
                assertThat(asAccessToken(f.getValue())).as(f.getKey()).allSatisfy((path, r) -> assertThat(r).as(f.getKey() + " at " + path)
                        .isNotEqualTo("accepted"));
            }
        }
    }

    /** RFC 9068 §4: only {@code typ: at+jwt} is an access token; an ID token is signed by the same issuer but is not one. */
    @Test
    void aTokenOfTheWrongTypeIsNotAnAccessToken() {
        assertThat(Jwts.header(idToken).get("typ").asText()).isNotEqualTo("at+jwt");
        assertThat(asAccessToken(idToken)).allSatisfy((path, r) -> assertThat(r).as(path).isNotEqualTo("accepted"));
        ObjectNode h = Jwts.header(accessToken).put("typ", "JWT");
        assertThat(asAccessToken(Jwts.withHeader(accessToken, h))).allSatisfy((path, r) -> assertThat(r).as(path).isNotEqualTo("accepted"));
        ObjectNode noTyp = Jwts.header(accessToken);
        noTyp.remove("typ");
        assertThat(asAccessToken(Jwts.withHeader(accessToken, noTyp))).allSatisfy((path, r) -> assertThat(r).as(path).isNotEqualTo("accepted"));
    }

    @Test
    void forgedIdTokenHintsAreRefusedAtLogout() throws Exception {
        Map<String, String> attacks = new LinkedHashMap<>(forgeries(idToken));
        attacks.put("an access token (wrong type)", accessToken);
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("attacker-rsa").generate();
        SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(Jwts.header(idToken).get("kid").asText())
                .type(JOSEObjectType.JWT).build(), JWTClaimsSet.parse(Jwts.payload(idToken).toString()));
        rs.sign(new RSASSASigner(rsa));
        attacks.put("RS256 with the genuine kid, attacker's key", rs.serialize());
        for (Map.Entry<String, String> a : attacks.entrySet()) {
            Http.Response r = new Http(fx.base).get("/oauth2/logout?id_token_hint=" + URLEncoder.encode(a.getValue(), StandardCharsets.UTF_8)
                    + "&post_logout_redirect_uri=" + URLEncoder.encode("https://rp.example.test/cb", StandardCharsets.UTF_8));
            assertThat(r.status()).as(a.getKey()).isEqualTo(400);
            assertThat(r.header("Location")).as(a.getKey()).isNull();
        }
        // control: the genuine hint is accepted (a page or a redirect, never the refusal)
        Http.Response ok = new Http(fx.base).get("/oauth2/logout?id_token_hint=" + idToken);
        assertThat(ok.status()).as(ok.body()).isNotEqualTo(400);
    }

    static JWTClaimsSet assertionClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("pk").subject("pk").audience(fx.base + "/oauth2/token").jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).build();
    }

    static Http.Response clientCredentials(String assertion) {
        return new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=pk&client_assertion_type="
                        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8));
    }

    static String realAssertion(ECKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), assertionClaims());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** RFC 7523 §3 and RFC 8725: a client assertion is verified with the client's registered key and its algorithm only. */
    @Test
    void forgedClientAssertionsAreRefused() throws Exception {
        List<String> refused = new ArrayList<>();
        ObjectNode claims = (ObjectNode) Http.JSON.readTree(assertionClaims().toString());
        ObjectNode h = (ObjectNode) Http.JSON.readTree("{\"alg\":\"ES256\",\"kid\":\"k1\"}");
        Map<String, String> attacks = new LinkedHashMap<>();
        for (String none : new String[] {"none", "None"}) {
            attacks.put("alg " + none, Jwts.unsigned(h.deepCopy().put("alg", none), fresh(claims)));
        }
        List<byte[]> keys = keyBytes(clientKey);
        for (int i = 0; i < keys.size(); i++) {
            attacks.put("HS256 keyed with the client's public key #" + i, Jwts.hs256(h.deepCopy().put("alg", "HS256"), fresh(claims), keys.get(i)));
        }
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        attacks.put("unknown kid", realAssertion(other, "k2"));
        attacks.put("registered kid, another key", realAssertion(other, "k1"));
        ObjectNode embedded = h.deepCopy().put("kid", "k2");
        embedded.set("jwk", Http.JSON.readTree(other.toPublicJWK().toJSONString()));
        attacks.put("key embedded in the header", sign(other, embedded, fresh(claims)));
        for (Map.Entry<String, String> a : attacks.entrySet()) {
            Http.Response r = clientCredentials(a.getValue());
            assertThat(r.status()).as(a.getKey() + ": " + r.body()).isEqualTo(401);
            assertThat(r.json().get("error").asText()).as(a.getKey()).isEqualTo("invalid_client");
            refused.add(a.getKey());
        }
        assertThat(refused).hasSize(attacks.size());
        // control: the client's own assertion works
        Http.Response ok = clientCredentials(realAssertion(clientKey, "k1"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    static ObjectNode fresh(ObjectNode claims) {
        return claims.deepCopy().put("jti", UUID.randomUUID().toString());
    }
}
