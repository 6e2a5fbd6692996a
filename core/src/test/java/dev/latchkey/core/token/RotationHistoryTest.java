package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.token.RotationHistory.Judgement;
import dev.latchkey.core.token.RotationHistory.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rule that tells a late duplicate from a stolen token, driven without a database. */
class RotationHistoryTest {
    static final Duration GRACE = Duration.ofSeconds(10);
    static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    final RefreshTokens tokens = new RefreshTokens(new byte[32]);
    final UUID family = UUID.randomUUID();

    /** The tokens of a family rotated {@code n} times: chain.get(0) first, chain.get(n) current. */
    List<RefreshTokens.Token> chain(int n) {
        List<RefreshTokens.Token> out = new ArrayList<>();
        out.add(tokens.first(family));
        for (int i = 0; i < n; i++) {
            out.add(tokens.successor(out.get(i)));
        }
        return out;
    }

    /** Rotation instants, newest first, for rotations {@code step} apart, the newest at {@code last}. */
    static List<Instant> rotatedAt(int n, Instant last, Duration step) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(last.minus(step.multipliedBy(i)));
        }
        return out;
    }

    Judgement judge(RotationHistory h, RefreshTokens.Token presented, Instant now) {
        return h.judge(tokens.lineage(presented), now, GRACE);
    }

    @Test
    void everyAncestorReplacedInsideTheWindowIsAReplayOrStaleNeverReuse() {
        List<RefreshTokens.Token> c = chain(5);
        // five rotations 100 ms apart, the last at T; judged 300 ms later (the reported late duplicate)
        RotationHistory h = new RotationHistory(c.get(5).hash(), 5, rotatedAt(5, T, Duration.ofMillis(100)));
        Instant now = T.plusMillis(300);
        assertThat(judge(h, c.get(5), now)).isEqualTo(new Judgement(Verdict.CURRENT, 0));
        assertThat(judge(h, c.get(4), now)).isEqualTo(new Judgement(Verdict.PREVIOUS, 1));
        for (int behind = 2; behind <= 5; behind++) {
            assertThat(judge(h, c.get(5 - behind), now)).isEqualTo(new Judgement(Verdict.STALE, behind));
        }
    }

    @Test
    void theWindowIsHalfOpenAndComparedToTheMicrosecond() {
        List<RefreshTokens.Token> c = chain(3);
        Instant replacedFirst = T.minusMillis(500).plusNanos(1_000);   // the first token, replaced at a fractional second
        RotationHistory h = new RotationHistory(c.get(3).hash(), 3, List.of(T, T.minusMillis(200), replacedFirst));
        Instant edge = replacedFirst.plus(GRACE);
        assertThat(judge(h, c.get(0), edge.minusNanos(1_000)).verdict()).isEqualTo(Verdict.STALE);
        assertThat(judge(h, c.get(0), edge).verdict()).isEqualTo(Verdict.REUSE);
        assertThat(judge(h, c.get(2), T.plus(GRACE).minusNanos(1_000)).verdict()).isEqualTo(Verdict.PREVIOUS);
        assertThat(judge(h, c.get(2), T.plus(GRACE)).verdict()).isEqualTo(Verdict.REUSE);

        // replaced at 0.9 s past a second, judged 9.6 s later: inside, though whole seconds would say 10 s later
        Instant late = T.plusMillis(900);
        RotationHistory fractional = new RotationHistory(c.get(3).hash(), 3, List.of(late, late.minusMillis(100)));
        assertThat(judge(fractional, c.get(2), T.plusMillis(10_500)).verdict()).isEqualTo(Verdict.PREVIOUS);
        assertThat(judge(fractional, c.get(1), T.plusMillis(10_500)).verdict()).isEqualTo(Verdict.STALE);
        // and replaced at 0.1 s, judged at 10.2 s (the same whole second as 10.0 s): outside
        RotationHistory early = new RotationHistory(c.get(3).hash(), 3, List.of(T.plusMillis(100)));
        assertThat(judge(early, c.get(2), T.plusMillis(10_200)).verdict()).isEqualTo(Verdict.REUSE);
    }

    @Test
    void aTokenReplacedBeforeTheWindowIsReuseWhateverCameAfter() {
        List<RefreshTokens.Token> c = chain(3);
        // rotated at T-60s, then twice inside the window
        RotationHistory h = new RotationHistory(c.get(3).hash(), 3, List.of(T, T.minusSeconds(1), T.minusSeconds(60)));
        assertThat(judge(h, c.get(0), T.plusMillis(1))).isEqualTo(new Judgement(Verdict.REUSE, 3));
        assertThat(judge(h, c.get(1), T.plusMillis(1))).isEqualTo(new Judgement(Verdict.STALE, 2));
    }

    @Test
    void aRotationWhoseInstantWasNotKeptCountsAsBeforeTheWindow() {
        List<RefreshTokens.Token> c = chain(4);
        // the store dropped the instants outside the window: only the last two are kept
        RotationHistory h = new RotationHistory(c.get(4).hash(), 4, List.of(T, T.minusSeconds(2)));
        assertThat(judge(h, c.get(2), T).verdict()).isEqualTo(Verdict.STALE);
        assertThat(judge(h, c.get(1), T)).isEqualTo(new Judgement(Verdict.REUSE, 3));
        assertThat(judge(h, c.get(0), T)).isEqualTo(new Judgement(Verdict.REUSE, 4));
    }

    @Test
    void aTokenThatNeverBelongedToTheFamilyIsForeignAndRevokesNothing() {
        List<RefreshTokens.Token> c = chain(3);
        RotationHistory h = new RotationHistory(c.get(3).hash(), 3, rotatedAt(3, T, Duration.ofMillis(10)));
        RefreshTokens.Token forged = tokens.first(family);          // the family id is known, the secret is not
        RefreshTokens.Token otherKey = new RefreshTokens(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
                .successor(c.get(2));                                 // the right parent, another installation's key
        assertThat(judge(h, forged, T)).isEqualTo(new Judgement(Verdict.FOREIGN, -1));
        assertThat(judge(h, otherKey, T)).isEqualTo(new Judgement(Verdict.FOREIGN, -1));
        assertThat(judge(new RotationHistory(c.get(0).hash(), 0, List.of()), forged, T).verdict()).isEqualTo(Verdict.FOREIGN);
    }

    @Test
    void beyondTheWalkAnUnknownTokenIsReuseAsBefore() {
        int n = RotationHistory.DEPTH + 6;
        List<RefreshTokens.Token> c = chain(n);
        // 70 rotations 10 ms apart: all inside the window, but only DEPTH instants are kept and walked
        RotationHistory h = new RotationHistory(c.get(n).hash(), n, rotatedAt(RotationHistory.DEPTH, T, Duration.ofMillis(10)));
        assertThat(judge(h, c.get(n - RotationHistory.DEPTH), T)).isEqualTo(new Judgement(Verdict.STALE, RotationHistory.DEPTH));
        assertThat(judge(h, c.get(n - RotationHistory.DEPTH - 1), T)).isEqualTo(new Judgement(Verdict.REUSE, -1));
        assertThat(judge(h, tokens.first(family), T)).isEqualTo(new Judgement(Verdict.REUSE, -1));
    }

    @Test
    void aZeroGraceWindowForgivesNothing() {
        List<RefreshTokens.Token> c = chain(2);
        RotationHistory h = new RotationHistory(c.get(2).hash(), 2, List.of(T, T));
        assertThat(h.judge(tokens.lineage(c.get(1)), T, Duration.ZERO).verdict()).isEqualTo(Verdict.REUSE);
        assertThat(h.judge(tokens.lineage(c.get(0)), T, Duration.ZERO).verdict()).isEqualTo(Verdict.REUSE);
    }

    @Test
    void theLineageIsTheSuccessorChain() {
        List<RefreshTokens.Token> c = chain(RotationHistory.DEPTH);
        RefreshTokens.Lineage l = tokens.lineage(c.get(0));
        assertThat(l.successor().value()).isEqualTo(c.get(1).value());
        assertThat(l.token(RotationHistory.DEPTH).value()).isEqualTo(c.get(RotationHistory.DEPTH).value());
        assertThat(l.hash(0)).isEqualTo(c.get(0).hash());
    }
}
