package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.key.KeyRing;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.key.StoredSigningKey;
import dev.latchkey.core.token.AccessTokenRequest;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.AccessTokens;
import dev.latchkey.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key creation and rotation on a shared database, as several nodes would do it. */
class PgSigningKeyStoreTest {
    static final KeyRing.KeyPolicy POLICY = new KeyRing.KeyPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(10));
    StoreFixture fx;
    MutableClock clock;
    MasterKey master;

    @BeforeEach
    void setUp() {
        fx = new StoreFixture();
        clock = MutableClock.atNow();
        master = MasterKey.generate();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    KeyRing node() {
        return new KeyRing(new PgSigningKeyStore(fx.jdbc), master, clock, POLICY);
    }

    @Test
    void severalNodesStartingAtOnceCreateExactlyOneKeyPerAlgorithm() throws Exception {
        List<Callable<String>> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            starts.add(() -> {
                KeyRing r = node();
                r.start();
                return r.active(SigningAlgorithm.ES256).kid() + "/" + r.active(SigningAlgorithm.RS256).kid();
            });
        }
        List<String> kids = RefreshRotationTest.race(starts);
        assertThat(new HashSet<>(kids)).hasSize(1);
        assertThat(fx.keys.all()).extracting(StoredSigningKey::algorithm).containsExactlyInAnyOrder("ES256", "RS256");
    }

    @Test
    void aRestartGeneratesNoKeyAndAnUpgradeAddsOnlyTheMissingAlgorithm() {
        // a database from before RS256 ID tokens: one ES256 key, in use
        KeyRing old = node();
        old.start();
        String rsKid = old.active(SigningAlgorithm.RS256).kid();
        String esKid = old.active(SigningAlgorithm.ES256).kid();
        fx.jdbc.update("DELETE FROM signing_keys WHERE algorithm = 'RS256'");
        KeyRing upgraded = node();
        upgraded.start();
        assertThat(upgraded.active(SigningAlgorithm.ES256).kid()).isEqualTo(esKid);
        assertThat(upgraded.active(SigningAlgorithm.RS256).kid()).isNotEqualTo(rsKid);
        assertThat(fx.keys.all()).hasSize(2);
        // restarts and not-yet-due rotations add nothing
        node().start();
        assertThat(upgraded.rotateIfDue()).isFalse();
        assertThat(fx.keys.all()).hasSize(2);
    }

    @Test
    void oneAlgorithmsRotationOrRetirementNeverTouchesTheOthersKeys() {
        KeyRing r = node();
        r.start();
        String es = r.active(SigningAlgorithm.ES256).kid();
        String rs = r.active(SigningAlgorithm.RS256).kid();
        // the RS256 key alone is due (its ES256 sibling was rotated recently)
        fx.jdbc.update("UPDATE signing_keys SET created_at = created_at - interval '31 days' WHERE kid = ?", rs);
        assertThat(r.rotateIfDue()).isTrue();
        assertThat(fx.keys.published(clock.instant())).hasSize(3);
        assertThat(fx.keys.all()).filteredOn(k -> k.kid().equals(es)).singleElement().satisfies(k -> assertThat(k.retiresAt()).isNull());
        assertThat(fx.keys.all()).filteredOn(k -> k.kid().equals(rs)).singleElement().satisfies(k -> assertThat(k.retiresAt()).isNotNull());
        // retiring the old RS256 key at once leaves the ES256 key signing
        assertThat(fx.keys.retire(rs, clock.instant())).isTrue();
        r.reload();
        assertThat(r.isPublished(rs)).isFalse();
        assertThat(r.active(SigningAlgorithm.ES256).kid()).isEqualTo(es);
    }

    @Test
    void rotationPublishesBeforeUseAndRetiresAfterTheLastTokenExpires() {
        KeyRing a = node();
        a.start();
        KeyRing b = node();
        b.start();
        String oldKid = a.active().kid();
        AccessTokens tokens = new AccessTokens(a, clock, "https://issuer.test", Duration.ofMinutes(5));
        String oldToken = tokens.issue(AccessTokenRequest.forClient("c", List.of("api"), null, false)).value();

        assertThat(a.rotateIfDue()).isFalse();                 // not due yet
        clock.advance(Duration.ofDays(31));
        assertThat(a.rotateIfDue()).isTrue();
        assertThat(b.rotateIfDue()).isFalse();                 // another node sees the fresh key
        b.reload();
        // published at once, but the old key still signs until the new one activates
        assertThat(a.publicKeys()).hasSize(4);               // each algorithm's next key
        assertThat(b.active().kid()).isEqualTo(oldKid);
        clock.advance(Duration.ofHours(1));
        assertThat(b.active().kid()).isNotEqualTo(oldKid);
        // the old key stays published until retirement (activation + 10 min), then disappears
        clock.advance(Duration.ofMinutes(9));
        b.reload();
        assertThat(b.publicKeys()).extracting(k -> k.getKeyID()).contains(oldKid);
        clock.advance(Duration.ofMinutes(2));
        b.reload();
        assertThat(b.publicKeys()).extracting(k -> k.getKeyID()).doesNotContain(oldKid);
        assertThat(new AccessTokenVerifier(b, clock, "https://issuer.test").tryVerify(oldToken)).isEmpty();
    }

    @Test
    void privateKeysAreSealedAndTheJwksHoldsOnlyPublicParts() throws Exception {
        KeyRing r = node();
        r.start();
        JWKSet set = JWKSet.parse(r.jwksJson());
        assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(set.getKeys()).extracting(k -> k.getAlgorithm()).containsExactlyInAnyOrder(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
        for (StoredSigningKey k : fx.keys.all()) {
            String stored = new String(k.sealedPrivateKey(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(stored).doesNotContain("\"d\"").doesNotContain("\"p\"");
            assertThat(k.publicJwk()).doesNotContain("\"d\"");
        }
        KeyRing wrongMaster = new KeyRing(new PgSigningKeyStore(fx.jdbc), MasterKey.generate(), clock, POLICY);
        assertThatThrownBy(wrongMaster::start).hasMessageContaining("LATCHKEY_MASTER_KEY");
    }

    @Test
    void auditEventsCannotBeChangedOrDeleted() {
        fx.audit.record(dev.latchkey.core.audit.AuditEvent.of(dev.latchkey.core.audit.AuditType.SIGNUP, clock.instant(), null).build());
        assertThatThrownBy(() -> fx.jdbc.update("UPDATE audit_events SET detail = 'x'")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> fx.jdbc.update("DELETE FROM audit_events")).hasMessageContaining("append-only");
    }
}
