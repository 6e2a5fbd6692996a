package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of {@link FaultProxy} against a real HTTP server and the JDK's HTTP client: the target always handles the request. */
class FaultProxyTest {
    HttpServer target;
    final AtomicInteger handled = new AtomicInteger();
    FaultProxy proxy;
    HttpClient client;

    @BeforeEach
    void start() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        target.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            handled.incrementAndGet();
            byte[] out = ("got " + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        target.start();
        proxy = FaultProxy.start();
        proxy.target("127.0.0.1", target.getAddress().getPort());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        target.stop(0);
    }

    private HttpResponse<String> post(String body, Duration timeout) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/x")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unmarkedRequestsPassAndAMarkedOnesAnswerIsResetAfterTheTargetHandledIt() throws Exception {
        proxy.onNext("grant_type=refresh_token", 1, new FaultProxy.DropAnswer());
        assertThat(post("grant_type=authorization_code", Duration.ofSeconds(30)).body()).isEqualTo("got grant_type=authorization_code");
        assertThatThrownBy(() -> post("grant_type=refresh_token", Duration.ofSeconds(30))).isInstanceOf(IOException.class);
        assertThat(handled.get()).isEqualTo(2);
        assertThat(proxy.applied()).isEqualTo(1);
        assertThat(post("grant_type=refresh_token", Duration.ofSeconds(30)).statusCode()).as("armed once").isEqualTo(200);
        assertThat(handled.get()).isEqualTo(3);
    }

    @Test
    void aReplacedAnswerIsTheProxysOwnStatus() throws Exception {
        proxy.onNext("mark", 2, new FaultProxy.ReplaceAnswer(504));
        assertThat(post("mark", Duration.ofSeconds(30)).statusCode()).isEqualTo(504);
        assertThat(post("mark", Duration.ofSeconds(30)).statusCode()).isEqualTo(504);
        assertThat(post("mark", Duration.ofSeconds(30)).statusCode()).isEqualTo(200);
        assertThat(handled.get()).isEqualTo(3);
        assertThat(proxy.applied()).isEqualTo(2);
    }

    @Test
    void aSwallowedAnswerNeverComesAndADelayedOneComesLate() throws Exception {
        proxy.onNext("mark", 1, new FaultProxy.SwallowAnswer());
        assertThatThrownBy(() -> post("mark", Duration.ofMillis(500))).isInstanceOf(HttpTimeoutException.class);
        assertThat(handled.get()).isEqualTo(1);

        proxy.onNext("mark", 1, new FaultProxy.DelayAnswer(Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        assertThat(post("mark", Duration.ofSeconds(30)).body()).isEqualTo("got mark");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(proxy.applied()).isEqualTo(2);

        proxy.onNext("mark", 5, new FaultProxy.DropAnswer());
        proxy.heal();
        assertThat(post("mark", Duration.ofSeconds(30)).statusCode()).as("healed").isEqualTo(200);
    }
}
