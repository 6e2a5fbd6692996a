package dev.latchkey.authz.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.authz.ConditionEvaluator;
import dev.latchkey.core.authz.ConditionEvaluator.Outcome;
import dev.latchkey.core.authz.model.ConditionDefinition;
import dev.latchkey.core.authz.model.ParamType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelConditionsTest {
    final CelConditions cel = new CelConditions();

    static ParamType t(ParamType.Name n) {
        return ParamType.of(n);
    }

    ConditionEvaluator.Compiled compile(String expr, Object... params) {
        Map<String, ParamType> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], (ParamType) params[i + 1]);
        }
        return cel.compile(new ConditionDefinition("c", expr, p));
    }

    @Test
    void timestampsAndDurationsFromJsonText() {
        var c = compile("now < granted + ttl", "now", t(ParamType.Name.TIMESTAMP), "granted", t(ParamType.Name.TIMESTAMP),
                "ttl", t(ParamType.Name.DURATION));
        assertThat(c.evaluate(Map.of("now", "2024-01-01T00:30:00Z", "granted", "2024-01-01T00:00:00Z", "ttl", "1h"))).isEqualTo(new Outcome.Met());
        assertThat(c.evaluate(Map.of("now", "2024-01-01T01:30:00+01:00", "granted", "2024-01-01T00:00:00Z", "ttl", "1h30m")))
                .isEqualTo(new Outcome.Met());
        assertThat(c.evaluate(Map.of("now", "2024-01-01T02:00:00Z", "granted", "2024-01-01T00:00:00Z", "ttl", "90m")))
                .isEqualTo(new Outcome.NotMet());
        assertThat(c.evaluate(Map.of("now", "2024-01-01T02:00:00Z"))).isEqualTo(new Outcome.Missing(List.of("granted", "ttl")));
        assertThatThrownBy(() -> c.evaluate(Map.of("now", "yesterday", "granted", "2024-01-01T00:00:00Z", "ttl", "1h")))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FGA_VALIDATION);
                    assertThat(e.publicMessage()).contains("'now'");
                });
    }

    @Test
    void numbersListsMapsAndIpAddresses() {
        assertThat(compile("n <= limit", "n", t(ParamType.Name.INT), "limit", t(ParamType.Name.INT)).evaluate(Map.of("n", 3L, "limit", 3.0)))
                .isEqualTo(new Outcome.Met());
        assertThat(compile("u > 1u", "u", t(ParamType.Name.UINT)).evaluate(Map.of("u", 2L))).isEqualTo(new Outcome.Met());
        assertThat(compile("'x' in tags", "tags", new ParamType(ParamType.Name.LIST, List.of(t(ParamType.Name.STRING))))
                .evaluate(Map.of("tags", List.of("a", "x")))).isEqualTo(new Outcome.Met());
        assertThat(compile("m['k'] == 2", "m", new ParamType(ParamType.Name.MAP, List.of(t(ParamType.Name.INT))))
                .evaluate(Map.of("m", Map.of("k", 2L)))).isEqualTo(new Outcome.Met());
        var ip = compile("ip.in_cidr('192.168.0.0/16')", "ip", t(ParamType.Name.IPADDRESS));
        assertThat(ip.evaluate(Map.of("ip", "192.168.4.1"))).isEqualTo(new Outcome.Met());
        assertThat(ip.evaluate(Map.of("ip", "10.0.0.1"))).isEqualTo(new Outcome.NotMet());
        assertThat(compile("ip.in_cidr('2001:db8::/32')", "ip", t(ParamType.Name.IPADDRESS)).evaluate(Map.of("ip", "2001:db8::1")))
                .isEqualTo(new Outcome.Met());
        assertThatThrownBy(() -> compile("n > 1", "n", t(ParamType.Name.INT)).evaluate(Map.of("n", 1.5))).isInstanceOf(LatchkeyException.class);
    }

    @Test
    void compileErrorsAreModelErrors() {
        for (String bad : List.of("x +", "x + 1", "y > 1", "x > 'a'")) {
            assertThatThrownBy(() -> compile(bad, "x", t(ParamType.Name.INT))).as(bad).isInstanceOfSatisfying(LatchkeyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FGA_INVALID_MODEL);
                assertThat(e.publicMessage()).contains("condition 'c' is invalid");
            });
        }
    }
}
