package dev.latchkey.sdk.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTest {
    @Test
    void quotesAndEscapesWhatCouldBreakALogLine() {
        assertThat(Echo.of("k1")).isEqualTo("\"k1\"");
        assertThat(Echo.of("k1\r\n2026-03-01 INFO forged")).isEqualTo("\"k1\\r\\n2026-03-01 INFO forged\"");
        assertThat(Echo.of("a\tb\u0000c\u001bd\u0085e\u2028f\u2029g\u202eh")).isEqualTo("\"a\\tb\\u0000c\\u001bd\\u0085e\\u2028f\\u2029g\\u202eh\"");
        assertThat(Echo.of("say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
        assertThat(Echo.of(null)).isEqualTo("null");
        assertThat(Echo.of("zoë ✓ 鍵")).isEqualTo("\"zoë ✓ 鍵\"");
    }

    @Test
    void capsWhatItRepeatsAndSaysHowMuchWasCut() {
        String kid = "k".repeat(8000);
        assertThat(Echo.of(kid)).isEqualTo("\"" + "k".repeat(Echo.MAX) + "\"…(+" + (8000 - Echo.MAX) + " chars)");
        assertThat(Echo.of("x".repeat(Echo.MAX))).isEqualTo("\"" + "x".repeat(Echo.MAX) + "\"");
        assertThat(Echo.of("abcdef", 3)).isEqualTo("\"abc\"…(+3 chars)");
        // a surrogate pair is never split: the emoji goes entirely
        assertThat(Echo.of("ab\uD83D\uDE00", 3)).isEqualTo("\"ab\"…(+2 chars)");
    }

    @Test
    void aWholeMessageBecomesOneBoundedLineAndEchoedValuesStayAsTheyAre() {
        String echoed = "no published key with kid " + Echo.of("a\"b\r\n");
        assertThat(Echo.line(echoed)).isEqualTo(echoed);
        assertThat(Echo.line("one\ntwo\r\nthree")).isEqualTo("one\\ntwo\\r\\nthree");
        String long_ = "y".repeat(3000);
        assertThat(Echo.line(long_)).hasSizeLessThan(Echo.MAX_MESSAGE + 20).endsWith("…(+" + (3000 - Echo.MAX_MESSAGE) + " chars)");
    }

    @Test
    void everyRejectionMessageIsOneBoundedLine() {
        TokenRejectedException e = new TokenRejectedException(RejectReason.MALFORMED, "detail\nINFO forged " + "z".repeat(5000));
        assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(Echo.MAX_MESSAGE + 40).startsWith("MALFORMED: detail\\nINFO forged ");
    }
}
