package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code latchkey users update --name}: the change reaches a running server's cache through the revocation bus. */
class UsersUpdateCommandTest {
    CliFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CliFixture();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void renamingFromTheCommandLineEvictsTheRunningServersCachedProfile() throws Exception {
        fx.startServer();
        String email = "cli-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        User u = fx.server().backend().accounts().signup(new SignupRequest(email, "a perfectly fine passphrase", "Ada"), RequestContext.SYSTEM);
        assertThat(fx.server().backend().liveSessions().user(u.id()).orElseThrow().name()).isEqualTo("Ada");   // cached now

        CliFixture.Result r = fx.run("users", "update", email, "--name", "Grace Hopper");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("name \"Grace Hopper\"");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = fx.server().backend().liveSessions().user(u.id()).orElseThrow().name();
            if ("Grace Hopper".equals(seen)) {
                break;
            }
            Thread.sleep(50);
        }
        // the cache would otherwise serve "Ada" for a minute
        assertThat(seen).isEqualTo("Grace Hopper");

        CliFixture.Result cleared = fx.run("users", "update", u.id().toString(), "--name", "");
        assertThat(cleared.code()).as(cleared.toString()).isZero();
        assertThat(fx.backend().users().findById(u.id()).orElseThrow().name()).isNull();
        assertThat(fx.run("users", "update", "nobody@example.test", "--name", "x").code()).isNotZero();
    }
}
