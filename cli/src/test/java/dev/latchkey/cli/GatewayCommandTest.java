package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cl = new CommandLine(new GatewayCommand(env)).setExecutionExceptionHandler(new Main.ErrorHandler());
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void aMissingConfigurationIsReportedAtOnceWithoutSecrets() {
        Run r = run(Map.of("LATCHKEY_GATEWAY_SESSION_KEY", "not-a-key-but-a-secret"), "--check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("LATCHKEY_GATEWAY_ISSUER", "LATCHKEY_GATEWAY_CLIENT_ID", "LATCHKEY_GATEWAY_CLIENT_SECRET",
                "LATCHKEY_GATEWAY_DATABASE_URL", "LATCHKEY_GATEWAY_SESSION_KEY: invalid value").doesNotContain("not-a-key-but-a-secret");
    }

    @Test
    void aCompleteConfigurationChecksOk() {
        Run r = run(Map.of("LATCHKEY_GATEWAY_ISSUER", "http://localhost:8080", "LATCHKEY_GATEWAY_CLIENT_ID", "gateway",
                "LATCHKEY_GATEWAY_CLIENT_SECRET", "s3cret", "LATCHKEY_GATEWAY_DATABASE_URL", "postgresql://u:p@localhost/db",
                "LATCHKEY_GATEWAY_SESSION_KEY", "0000000000000000000000000000000000000000000000000000000000000000",
                "LATCHKEY_GATEWAY_ROUTES", "/api/notes=http://127.0.0.1:8001"), "--check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("gateway configuration OK");
    }

    @Test
    void theCommandIsRegistered() {
        assertThat(Main.commandLine(Map.of()).getSubcommands()).containsKey("gateway");
    }
}
