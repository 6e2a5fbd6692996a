package dev.latchkey.gateway;

import dev.latchkey.server.ProtocolErrorsTest;
import dev.latchkey.testkit.ParserRefusals;
import dev.latchkey.testkit.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway answers what Jetty refuses before routing as its own problem documents, like the server does. */
class GatewayProtocolErrorsTest {
    static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static List<ParserRefusals.Refusal> refusals() {
        return ParserRefusals.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void jettysOwnRefusalsAreProblemDocuments(ParserRefusals.Refusal c) throws Exception {
        ProtocolErrorsTest.assertProblem(RawHttp.exchange(f.gateway.port(), c.request()), c);
    }
}
