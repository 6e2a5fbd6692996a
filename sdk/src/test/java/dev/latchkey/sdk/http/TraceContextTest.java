package dev.latchkey.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceContextTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void parsesTheW3cExample() {
        assertThat(TraceContext.traceId(VALID)).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.traceId("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")).isPresent();
    }

    @Test
    void refusesInvalidTraceparents() {
        assertThat(TraceContext.traceId(null)).isEmpty();
        assertThat(TraceContext.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
        assertThat(TraceContext.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceId("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceId(VALID + "-extra")).isEmpty();
        assertThat(TraceContext.traceId("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")).isEmpty();
    }

    @Test
    void putsTheTraceIdInTheMdcAndRestoresThePreviousValue() {
        MDC.put(TraceContext.MDC_KEY, "outer");
        try (TraceContext.Scope s = TraceContext.open(VALID)) {
            assertThat(MDC.get(TraceContext.MDC_KEY)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
        assertThat(MDC.get(TraceContext.MDC_KEY)).isEqualTo("outer");
        MDC.remove(TraceContext.MDC_KEY);
        try (TraceContext.Scope s = TraceContext.open(VALID)) {
            assertThat(MDC.get(TraceContext.MDC_KEY)).isNotNull();
        }
        assertThat(MDC.get(TraceContext.MDC_KEY)).isNull();
    }
}
