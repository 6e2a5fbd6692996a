package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code latchkey keys rotate|list|retire}: each algorithm (ES256, RS256) has keys of its own. */
class KeysCommandTest {
    static CliFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new CliFixture();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void rotateListAndRetireWorkPerAlgorithm() {
        CliFixture.Result rotated = fx.run("keys", "rotate");
        assertThat(rotated.code()).as(rotated.toString()).isZero();
        Matcher m = Pattern.compile("(?m)^published (ES256|RS256) key (\\S+); it becomes active at \\S+$").matcher(rotated.out());
        List<String> algs = new java.util.ArrayList<>();
        String rsaKid = null;
        while (m.find()) {
            algs.add(m.group(1));
            if (m.group(1).equals("RS256")) {
                rsaKid = m.group(2);
            }
        }
        assertThat(algs).as(rotated.out()).containsExactlyInAnyOrder("ES256", "RS256");

        CliFixture.Result list = fx.run("keys", "list");
        assertThat(list.code()).isZero();
        // the first key of each algorithm (created by the first start) signs; the rotated ones are published next
        assertThat(list.out().lines().filter(l -> l.matches("\\S+ +ES256 +published .*"))).hasSize(1);
        assertThat(list.out().lines().filter(l -> l.matches("\\S+ +RS256 +published .*"))).hasSize(1);
        assertThat(list.out().lines().filter(l -> l.matches("\\S+ +ES256 +next .*"))).hasSize(1);
        assertThat(list.out().lines().filter(l -> l.matches("\\S+ +RS256 +next .*"))).hasSize(1);

        CliFixture.Result retired = fx.run("keys", "retire", rsaKid);
        assertThat(retired.code()).as(retired.toString()).isZero();
        assertThat(fx.run("keys", "list").out()).containsPattern(Pattern.quote(rsaKid) + " +RS256 +retired");
    }
}
