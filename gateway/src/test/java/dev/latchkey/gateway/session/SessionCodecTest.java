package dev.latchkey.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.latchkey.core.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sealed sessions keep when their access token was received, and sessions sealed before that still open. */
class SessionCodecTest {
    final MasterKey key = MasterKey.generate();
    final SessionCodec codec = new SessionCodec(key);
    final byte[] idHash = new byte[32];
    final UserClaims user = new UserClaims("u1", Optional.empty(), false, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    final Instant received = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theAccessTokensReceiptTimeIsSealedAndOpened() {
        SessionTokens t = new SessionTokens("at", received, received.plusSeconds(10), Optional.of("rt"), "idt");
        SessionTokens back = codec.open(idHash, codec.seal(idHash, user, t)).tokens();
        assertThat(back).isEqualTo(t);
        assertThat(back.refreshMargin(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theAccessTokensPermissionsAndAuthenticationContextAreSealedAndOpened() {
        UserClaims.Access access = new UserClaims.Access(List.of("notes:read", "notes:write"), Optional.of("urn:latchkey:acr:mfa"),
                List.of("pwd", "otp", "mfa"), Optional.of(received.minusSeconds(30)));
        UserClaims u = new UserClaims("u1", Optional.of("a@example.test"), true, Optional.of("Ann"), Optional.of("o1"), List.of("member"),
                Optional.of("s1"), access);
        SessionTokens t = new SessionTokens("at", received, received.plusSeconds(10), Optional.empty(), "idt");
        assertThat(codec.open(idHash, codec.seal(idHash, u, t)).user()).isEqualTo(u);
        assertThat(codec.open(idHash, codec.seal(idHash, user, t)).user().access()).as("a session without them opens with none")
                .isEqualTo(UserClaims.Access.NONE);
    }

    @Test
    void aSessionSealedBeforeTheReceiptTimeWasKeptTakesTheLifetimeFromTheTokensClaims() {
        String jwt = new PlainJWT(new JWTClaimsSet.Builder().subject("u1").issueTime(Date.from(Instant.ofEpochSecond(1_000)))
                .expirationTime(Date.from(Instant.ofEpochSecond(1_010))).build()).serialize();
        SessionTokens t = codec.open(idHash, legacy(jwt, received.plusSeconds(10))).tokens();
        assertThat(t.accessIssuedAt()).isEqualTo(received);
        assertThat(t.refreshMargin(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));

        SessionTokens opaque = codec.open(idHash, legacy("not-a-jwt", received.plusSeconds(10))).tokens();
        assertThat(opaque.refreshMargin(Duration.ofSeconds(30))).as("no lifetime known: the skew as configured").isEqualTo(Duration.ofSeconds(30));
    }

    /** A blob as the gateway sealed it before {@code at_iat} existed. */
    private byte[] legacy(String accessToken, Instant expires) {
        String json = "{\"sub\":\"u1\",\"email_verified\":false,\"roles\":[],\"at\":\"" + accessToken + "\",\"at_exp\":" + expires.toEpochMilli()
                + ",\"rt\":\"rt\",\"idt\":\"idt\"}";
        return key.seal(json.getBytes(StandardCharsets.UTF_8), "gateway-session:" + HexFormat.of().formatHex(idHash));
    }
}
