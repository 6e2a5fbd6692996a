package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.core.session.TokenGrant;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.token.RotationHistory;
import dev.latchkey.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refresh-token rotation against real PostgreSQL: rotation, grace replay, reuse detection, races. */
class RefreshRotationTest {
    static StoreFixture fx;
    static final MasterKey MASTER = MasterKey.generate();
    static final RequestContext CTX = new RequestContext("127.0.0.1", "test", "trace");
    static final SessionPolicy POLICY = new SessionPolicy(Duration.ofHours(1), Duration.ofHours(8),
            Duration.ofDays(1), Duration.ofDays(30), Duration.ofSeconds(10));

    MutableClock clock;
    SessionService service;
    User user;

    @BeforeAll
    static void db() {
        fx = new StoreFixture();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @BeforeEach
    void setUp() {
        clock = MutableClock.atNow();
        service = serviceOn(fx.jdbc, clock);
        user = fx.newUser("rot-" + System.nanoTime() + "@example.test", clock.instant());
    }

    static SessionService serviceOn(Jdbc jdbc, MutableClock clock) {
        return new SessionService(new PgSessionStore(jdbc), new PgRefreshFamilyStore(jdbc),
                new RefreshTokens(MASTER.derive("refresh-successor")), new PgAuditLog(jdbc), clock, POLICY);
    }

    @Test
    void rotatesAndTheOldTokenIsReplacedByANewOne() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant second = service.refresh(first.refreshToken(), null, CTX);
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.subject().generation()).isEqualTo(1);
        TokenGrant third = service.refresh(second.refreshToken(), null, CTX);
        assertThat(third.subject().generation()).isEqualTo(2);
        assertThat(third.subject().sessionId()).isEqualTo(first.subject().sessionId());
    }

    @Test
    void replayWithinGraceGetsTheSameSuccessorAndDoesNotRevoke() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        clock.advance(Duration.ofSeconds(9));
        TokenGrant b = service.refresh(first.refreshToken(), null, CTX);
        assertThat(b.refreshToken()).isEqualTo(a.refreshToken());
        // the successor still works: nothing was revoked
        assertThat(service.refresh(a.refreshToken(), null, CTX).subject().generation()).isEqualTo(2);
    }

    @Test
    void replayAfterGraceRevokesTheFamilyAndSessionAndIsAudited() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        clock.advance(Duration.ofSeconds(10));   // the grace window is [rotation, rotation + 10 s)
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                .isInstanceOf(LatchkeyException.class).extracting(e -> ((LatchkeyException) e).code())
                .isEqualTo(ErrorCode.REFRESH_TOKEN_REUSED);
        // the legitimate successor is dead too, and so is the session
        assertThatThrownBy(() -> service.refresh(a.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_REVOKED);
        assertThat(service.activeSession(first.subject().sessionId())).isEmpty();
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).hasSize(1);
    }

    /**
     * The reported false logout: a refresh is delayed in transit, the client retries it at once and
     * rotates twice more, then the delayed one arrives 300 ms later. Its token is a few generations
     * old but was replaced well inside the grace window: refused as stale, and nothing is revoked.
     * (Until this change, any token older than the previous one was a reuse and revoked the session.)
     */
    @Test
    void aTokenTwoGenerationsOldInsideTheGraceWindowIsStaleAndRevokesNothing() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);   // the retry of the delayed request
        clock.advance(Duration.ofMillis(100));
        TokenGrant b = service.refresh(a.refreshToken(), null, CTX);
        clock.advance(Duration.ofMillis(100));
        TokenGrant c = service.refresh(b.refreshToken(), null, CTX);
        clock.advance(Duration.ofMillis(300));
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))     // the delayed request, 3 behind
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_STALE);
        assertThatThrownBy(() -> service.refresh(a.refreshToken(), null, CTX))         // 2 behind
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_STALE);
        // the previous token still gets the same successor, and the newest one rotates
        assertThat(service.refresh(b.refreshToken(), null, CTX).refreshToken()).isEqualTo(c.refreshToken());
        assertThat(service.refresh(c.refreshToken(), null, CTX).subject().generation()).isEqualTo(4);
        assertThat(service.activeSession(first.subject().sessionId())).isPresent();
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
    }

    @Test
    void anOldTokenReplacedBeforeTheWindowIsReuseEvenWhenItsSuccessorsAreRecent() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        clock.advance(Duration.ofSeconds(10));              // the first token was replaced exactly one window ago
        TokenGrant b = service.refresh(a.refreshToken(), null, CTX);
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_REUSED);
        assertThatThrownBy(() -> service.refresh(b.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_REVOKED);
        assertThat(service.activeSession(first.subject().sessionId())).isEmpty();
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).hasSize(1);
    }

    @Test
    void staleTurnsIntoReuseOnceTheWindowHasPassed() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        clock.advance(Duration.ofMillis(9_999));
        service.refresh(a.refreshToken(), null, CTX);
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_STALE);
        clock.advance(Duration.ofMillis(1));                // now exactly grace after the first token's rotation
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_REUSED);
    }

    @Test
    void aForgedTokenOfAKnownFamilyRevokesNothing() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        // whoever learnt the family id (it is in every token and in the logs) cannot end the session with it
        String forged = new RefreshTokens(MASTER.derive("refresh-successor")).first(first.subject().familyId()).value();
        assertThatThrownBy(() -> service.refresh(forged, null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_INVALID);
        assertThat(service.refresh(a.refreshToken(), null, CTX).subject().generation()).isEqualTo(2);
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
    }

    /** RFC 7009 §2.1: revocation checks the token's secret; the family id it carries is not enough. */
    @Test
    void revocationNeedsTheWholeTokenNotJustItsFamily() {
        RefreshTokens tokens = new RefreshTokens(MASTER.derive("refresh-successor"));
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        var family = first.subject().familyId();
        String forged = tokens.first(family).value();
        assertThat(fx.families.revoke(family, first.subject().clientId(), tokens.lineage(tokens.parse(forged).orElseThrow()),
                true, "test", clock.instant())).isFalse();
        service.endByRefreshToken(forged, null, CTX);
        assertThat(fx.audit.recent(user.id(), AuditType.LOGOUT, 10)).isEmpty();
        assertThat(service.activeSession(first.subject().sessionId())).isPresent();
        // the real token of another client revokes nothing either
        assertThat(fx.families.revoke(family, "someone-else", tokens.lineage(tokens.parse(a.refreshToken()).orElseThrow()),
                true, "test", clock.instant())).isFalse();
        TokenGrant b = service.refresh(a.refreshToken(), null, CTX);
        assertThat(b.subject().generation()).isEqualTo(2);
        // a predecessor of the current token proves its holder had the family's secret: it signs out
        service.endByRefreshToken(first.refreshToken(), null, CTX);
        assertThat(service.activeSession(first.subject().sessionId())).isEmpty();
        assertThatThrownBy(() -> service.refresh(b.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_REVOKED);
    }

    /** One conditional UPDATE: of many concurrent revocations of the same token, exactly one wins. */
    @Test
    void concurrentRevocationsOfOneTokenRevokeOnce() throws Exception {
        RefreshTokens tokens = new RefreshTokens(MASTER.derive("refresh-successor"));
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        var t = tokens.parse(first.refreshToken()).orElseThrow();
        List<Boolean> done = race(20, () -> fx.families.revoke(t.familyId(), first.subject().clientId(), tokens.lineage(t), true,
                "test", clock.instant()));
        assertThat(done.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
        assertThat(service.activeSession(first.subject().sessionId())).isEmpty();
    }

    @Test
    void theFamilyKeepsOnlyTheRotationInstantsInsideTheWindowAtMostDepth() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        String current = first.refreshToken();
        for (int i = 0; i < RotationHistory.DEPTH + 6; i++) {
            clock.advance(Duration.ofMillis(10));
            current = service.refresh(current, null, CTX).refreshToken();
        }
        assertThat(keptInstants(first)).isEqualTo(RotationHistory.DEPTH);
        clock.advance(Duration.ofSeconds(11));
        current = service.refresh(current, null, CTX).refreshToken();
        assertThat(keptInstants(first)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(3));
        service.refresh(current, null, CTX);
        assertThat(keptInstants(first)).isEqualTo(2);
    }

    private int keptInstants(TokenGrant g) {
        return fx.jdbc.queryOne("SELECT cardinality(rotated_at) AS n FROM refresh_families WHERE id = ?",
                rs -> rs.getInt("n"), g.subject().familyId()).orElseThrow();
    }

    /** A family rotated five times, 100 ms apart; returns its grants, oldest first (the last holds the current token). */
    private List<TokenGrant> chainOfSix(SessionService on) {
        List<TokenGrant> chain = new ArrayList<>();
        chain.add(on.startTokenSession(user, null, null, "pwd", null, CTX));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(100));
            chain.add(on.refresh(chain.get(i).refreshToken(), null, CTX));
        }
        return chain;
    }

    private static String outcome(SessionService s, String token) {
        try {
            return s.refresh(token, null, CTX).refreshToken();
        } catch (LatchkeyException e) {
            return e.code().name();
        }
    }

    @Test
    void aHundredConcurrentPresentationsOfMixedGenerationsInsideTheWindowNeverRevoke() throws Exception {
        try (Database node2 = fx.secondNode()) {
            SessionService other = serviceOn(node2.jdbc(), clock);
            List<String> chain = chainOfSix(service).stream().map(TokenGrant::refreshToken).toList();
            clock.advance(Duration.ofMillis(300));
            RefreshTokens tokens = new RefreshTokens(MASTER.derive("refresh-successor"));
            String next = tokens.successor(tokens.parse(chain.get(5)).orElseThrow()).value();
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                SessionService on = i % 2 == 0 ? service : other;
                String token = chain.get(i % chain.size());
                calls.add(() -> outcome(on, token));
            }
            List<String> outcomes = race(calls);
            // each one got the current successor, the successor of the previous token, or a non-revoking refusal
            assertThat(outcomes).allSatisfy(o -> assertThat(o).isIn(chain.get(5), next, ErrorCode.REFRESH_TOKEN_STALE.name()));
            assertThat(outcomes).contains(next, ErrorCode.REFRESH_TOKEN_STALE.name());
            assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
            assertThat(service.activeSession(service.refresh(next, null, CTX).subject().sessionId())).isPresent();
        }
    }

    @Test
    void aHundredConcurrentPresentationsOfMixedGenerationsAfterTheWindowAlwaysRevoke() throws Exception {
        try (Database node2 = fx.secondNode()) {
            SessionService other = serviceOn(node2.jdbc(), clock);
            List<TokenGrant> grants = chainOfSix(service);
            List<String> chain = grants.stream().map(TokenGrant::refreshToken).toList();
            java.util.UUID session = grants.get(0).subject().sessionId();
            clock.advance(Duration.ofSeconds(10));            // every token but the current one was replaced a window ago or more
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                SessionService on = i % 2 == 0 ? service : other;
                String token = chain.get(i % chain.size());
                calls.add(() -> outcome(on, token));
            }
            List<String> outcomes = race(calls);
            for (int i = 0; i < 100; i++) {
                if (i % chain.size() != 5) {
                    assertThat(outcomes.get(i)).isIn(ErrorCode.REFRESH_TOKEN_REUSED.name(), ErrorCode.SESSION_REVOKED.name());
                }
            }
            assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).hasSize(1);
            assertThat(service.activeSession(session)).isEmpty();
            assertThat(outcome(other, chain.get(5))).isEqualTo(ErrorCode.SESSION_REVOKED.name());
        }
    }

    @Test
    void forgedAndForeignTokensAreRefusedWithoutHarm() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        assertThatThrownBy(() -> service.refresh("not-a-token", null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_INVALID);
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), "some-oauth-client", CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_INVALID);
        // a token minted under another master key (another installation) for an unknown family
        RefreshTokens other = new RefreshTokens(MasterKey.generate().derive("refresh-successor"));
        String foreign = other.first(java.util.UUID.randomUUID()).value();
        assertThatThrownBy(() -> service.refresh(foreign, null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_INVALID);
        // none of that harmed the real family
        assertThat(service.refresh(first.refreshToken(), null, CTX).subject().generation()).isEqualTo(1);
    }

    @Test
    void disablingOrChangingThePasswordEndsRefreshAtOnce() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        fx.users.changePassword(user.id(), "new-hash", clock.instant());
        assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_REVOKED);

        User fresh = fx.users.findById(user.id()).orElseThrow();
        TokenGrant second = service.startTokenSession(fresh, null, null, "pwd", null, CTX);
        fx.users.setStatus(user.id(), UserStatus.DISABLED, clock.instant());
        assertThatThrownBy(() -> service.refresh(second.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_REVOKED);
    }

    @Test
    void idleAndAbsoluteExpiry() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        clock.advance(Duration.ofHours(23));
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);   // activity moves the idle expiry
        clock.advance(Duration.ofHours(23));
        TokenGrant b = service.refresh(a.refreshToken(), null, CTX);
        clock.advance(Duration.ofDays(1).plusSeconds(1));                 // idle for longer than a day
        assertThatThrownBy(() -> service.refresh(b.refreshToken(), null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);

        TokenGrant c = service.startTokenSession(user, null, null, "pwd", null, CTX);
        String current = c.refreshToken();
        for (int day = 0; day < 29; day++) {
            clock.advance(Duration.ofHours(23));
            current = service.refresh(current, null, CTX).refreshToken();
        }
        clock.advance(Duration.ofDays(3));   // beyond 30 days in total: absolute expiry
        String last = current;
        assertThatThrownBy(() -> service.refresh(last, null, CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void fiftyConcurrentRefreshesWithTheSameTokenAllGetTheSameSuccessor() throws Exception {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        List<String> results = race(50, () -> service.refresh(first.refreshToken(), null, CTX).refreshToken());
        assertThat(new HashSet<>(results)).hasSize(1);
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
        // and the one successor is the current token of a live family
        assertThat(service.refresh(results.get(0), null, CTX).subject().generation()).isEqualTo(2);
    }

    @Test
    void twoNodesOnOneDatabaseAgree() throws Exception {
        try (Database node2 = fx.secondNode()) {
            SessionService other = serviceOn(node2.jdbc(), clock);
            TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SessionService s = i % 2 == 0 ? service : other;
                calls.add(() -> s.refresh(first.refreshToken(), null, CTX).refreshToken());
            }
            List<String> results = race(calls);
            assertThat(new HashSet<>(results)).hasSize(1);
            // the successor rotates on the other node; a late duplicate of the first token is stale on either node
            // inside the window, and a reuse after it
            String next = other.refresh(results.get(0), null, CTX).refreshToken();
            assertThat(service.refresh(next, null, CTX).subject().generation()).isEqualTo(3);
            assertThatThrownBy(() -> other.refresh(first.refreshToken(), null, CTX))
                    .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_STALE);
            assertThatThrownBy(() -> service.refresh(first.refreshToken(), null, CTX))
                    .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_STALE);
            clock.advance(Duration.ofSeconds(10));
            assertThatThrownBy(() -> other.refresh(first.refreshToken(), null, CTX))
                    .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.REFRESH_TOKEN_REUSED);
        }
    }

    @Test
    void concurrentReplaysAfterTheGraceWindowRevokeOnceAndAllFail() throws Exception {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        service.refresh(first.refreshToken(), null, CTX);
        clock.advance(Duration.ofSeconds(11));
        List<String> outcomes = race(20, () -> {
            try {
                service.refresh(first.refreshToken(), null, CTX);
                return "ok";
            } catch (LatchkeyException e) {
                return e.code().name();
            }
        });
        assertThat(outcomes).doesNotContain("ok");
        assertThat(outcomes).contains(ErrorCode.REFRESH_TOKEN_REUSED.name());
        assertThat(fx.audit.recent(user.id(), AuditType.REFRESH_TOKEN_REUSE, 50)).hasSize(1);
    }

    @Test
    void survivesARestartOfTheService() {
        TokenGrant first = service.startTokenSession(user, null, null, "pwd", null, CTX);
        TokenGrant a = service.refresh(first.refreshToken(), null, CTX);
        SessionService restarted = serviceOn(fx.jdbc, clock);   // same master key, fresh process state
        assertThat(restarted.refresh(first.refreshToken(), null, CTX).refreshToken()).isEqualTo(a.refreshToken());
        assertThat(restarted.refresh(a.refreshToken(), null, CTX).subject().generation()).isEqualTo(2);
    }

    static <T> List<T> race(int n, Callable<T> call) throws Exception {
        List<Callable<T>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call);
        }
        return race(calls);
    }

    static <T> List<T> race(List<Callable<T>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(calls.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

}
