package dev.latchkey.sdk.revocation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * How the feed client authenticates to the issuer: the method its registration names (RFC 6749 §2.3.1
 * {@code client_secret_basic} / {@code client_secret_post}, RFC 7523 §2.2 {@code private_key_jwt}).
 * {@code toString} never shows a secret or key.
 */
public sealed interface FeedCredentials permits FeedCredentials.ClientSecretBasic, FeedCredentials.ClientSecretPost,
        FeedCredentials.PrivateKeyJwt {

    String clientId();

    /** The id and secret in an {@code Authorization: Basic} header of a GET (each form-urlencoded first, RFC 6749 §2.3.1). */
    static FeedCredentials clientSecretBasic(String clientId, String secret) {
        return new ClientSecretBasic(clientId, secret);
    }

    /** The id and secret in the form body of a POST. */
    static FeedCredentials clientSecretPost(String clientId, String secret) {
        return new ClientSecretPost(clientId, secret);
    }

    /** A fresh JWT assertion (60 s, single-use {@code jti}) signed with this private EC P-256 (ES256) or RSA (RS256) key, in a POST form. */
    static FeedCredentials privateKeyJwt(String clientId, JWK privateKey) {
        return new PrivateKeyJwt(clientId, privateKey);
    }

    record ClientSecretBasic(String clientId, String secret) implements FeedCredentials {
        public ClientSecretBasic {
            requireText(clientId, "clientId");
            requireText(secret, "secret");
        }

        String header() {
            String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "ClientSecretBasic[" + clientId + "]";
        }
    }

    record ClientSecretPost(String clientId, String secret) implements FeedCredentials {
        public ClientSecretPost {
            requireText(clientId, "clientId");
            requireText(secret, "secret");
        }

        String form() {
            return "client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8) + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "ClientSecretPost[" + clientId + "]";
        }
    }

    record PrivateKeyJwt(String clientId, JWK key) implements FeedCredentials {
        static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        private static final SecureRandom RANDOM = new SecureRandom();

        public PrivateKeyJwt {
            requireText(clientId, "clientId");
            Objects.requireNonNull(key, "key");
            if (!key.isPrivate()) {
                throw new IllegalArgumentException("private_key_jwt needs the private key");
            }
            if (!(key instanceof RSAKey) && !(key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()))) {
                throw new IllegalArgumentException("private_key_jwt signs with an EC P-256 or RSA key");
            }
        }

        /** RFC 7523 §3: iss = sub = client_id, aud = the issuer and the endpoint, short-lived, unique jti. */
        String form(List<String> audience, Instant now) {
            byte[] jti = new byte[16];
            RANDOM.nextBytes(jti);
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                    .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofSeconds(60)))).build();
            try {
                JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
                JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(signer);
                return "client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                        + "&client_assertion_type=" + URLEncoder.encode(ASSERTION_TYPE, StandardCharsets.UTF_8)
                        + "&client_assertion=" + jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "PrivateKeyJwt[" + clientId + ", kid=" + key.getKeyID() + "]";
        }
    }

    private static void requireText(String s, String name) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
