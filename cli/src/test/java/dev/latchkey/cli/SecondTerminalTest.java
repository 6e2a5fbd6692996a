package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.crypto.MasterKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path, from outside: {@code ./latchkey dev} in one terminal (a separate process, on free ports, in
 * a fresh folder), the admin and user commands in a second terminal in the same folder, each its own process;
 * then the same commands after dev has stopped, after it was killed, and while it starts. Each command prints what
 * a person reads (no log lines), and says in one line what went wrong when something does.
 */
class SecondTerminalTest {
    static final String PASSWORD = "correct horse battery staple";
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path folder;
    Process dev;

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        if (dev != null && dev.isAlive()) {
            dev.destroyForcibly();
            dev.waitFor(60, TimeUnit.SECONDS);
        }
        // never leave a PostgreSQL running on the shared machine, even after a failed test
        Optional.ofNullable(postmaster()).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroy);
    }

    @Test
    void theSecondTerminalWorksWhileDevRunsAndAfterItStopped() throws Exception {
        int http = freePort();
        int gatewayPort = freePort();
        Map<String, String> env = Map.of("LATCHKEY_HTTP_PORT", Integer.toString(http), "LATCHKEY_PUBLIC_URL", "http://localhost:" + http);
        Map<String, String> devEnv = new HashMap<>(env);
        devEnv.put("LATCHKEY_GATEWAY_PORT", Integer.toString(gatewayPort));      // honoured by dev, as the gateway would
        devEnv.put("LATCHKEY_GATEWAY_ISSUER", "https://elsewhere.example");     // cannot be: warned about
        Terminal first = new Terminal(folder, devEnv);
        Terminal second = new Terminal(folder, env);
        Path log = folder.resolve("dev.log");

        dev = first.start(log, "dev", "--demo-port", Integer.toString(freePort()));
        String banner = Terminal.await(dev, log, "Stop with Ctrl-C");
        assertThat(banner).contains("Open the demo:      http://localhost:" + gatewayPort + "/dashboard")
                .contains("gateway settings from the environment: LATCHKEY_GATEWAY_PORT")
                .contains("ignoring LATCHKEY_GATEWAY_ISSUER")
                .doesNotContain("unknown environment variable");     // LATCHKEY_HOME, LATCHKEY_JAVA, LATCHKEY_GATEWAY_*
        HttpResponse<String> dashboard = get("http://localhost:" + gatewayPort + "/dashboard", null);
        assertThat(dashboard.statusCode()).isEqualTo(303);
        assertThat(dashboard.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).contains("/auth/login"));
        // dev registered its client for that port: the server's authorize endpoint accepts the gateway's redirect URI
        String base = "http://localhost:" + http;
        HttpResponse<String> signIn = get("http://localhost:" + gatewayPort + "/auth/login", null);
        String authorize = signIn.headers().firstValue("location").orElseThrow();
        assertThat(authorize).startsWith(base + "/oauth2/authorize?")
                .contains("redirect_uri=" + URLEncoder.encode("http://localhost:" + gatewayPort + "/auth/callback", StandardCharsets.UTF_8));
        HttpResponse<String> hosted = get(authorize, null);
        assertThat(hosted.statusCode()).as(hosted.body()).isBetween(300, 399);
        assertThat(hosted.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).contains("/login"));

        // the README's two commands
        Terminal.Result key = second.run("admin", "keys", "create", "--name", "me");
        assertThat(key.code()).as(key.toString()).isZero();
        assertThat(key.out()).as("only the key on stdout, for scripts").matches("lka_[A-Za-z0-9_-]+\n");
        assertThat(key.errLines()).as(key.toString()).containsExactly(
                "Admin API key 'me' created. It is shown only now: store it. Use it as Authorization: Bearer <key>.");
        Terminal.Result user = second.runWithInput(PASSWORD + "\n", "users", "create", "--email", "you@example.com", "--password-stdin");
        assertThat(user.code()).as(user.toString()).isZero();
        assertThat(user.out()).matches("created user [0-9a-f-]{36} <you@example.com>\n");
        assertThat(user.err()).isEmpty();

        // they changed what the running dev serves: the key opens its admin API, the user signs in there
        HttpResponse<String> users = get(base + "/admin/v1/users", key.out().strip());
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("you@example.com");
        assertThat(login(base, "you@example.com").statusCode()).isEqualTo(200);

        Terminal.Result list = second.run("users", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("(?m)^[0-9a-f-]{36}\\s+active\\s+you@example.com$").endsWith("1 users in total\n");
        Terminal.Result clients = second.run("admin", "clients", "list");
        assertThat(clients.code()).as(clients.toString()).isZero();
        assertThat(clients.out()).startsWith("CLIENT_ID").contains(DevStack.GATEWAY_CLIENT).endsWith("2 clients\n");
        Terminal.Result keys = second.run("admin", "keys", "list");
        assertThat(keys.out()).containsPattern("(?m)^[0-9a-f-]{36}\\s+active\\s+\\S+\\s+me$");
        Terminal.Result noTerminal = second.run("users", "create", "--email", "other@example.com");
        assertThat(noTerminal.code()).isEqualTo(2);
        assertThat(noTerminal.errLines()).containsExactly("latchkey: no terminal to ask for the password; use --password-stdin");
        int otherPort = freePort();
        Terminal.Result twice = new Terminal(folder, Map.of("LATCHKEY_HTTP_PORT", Integer.toString(otherPort),
                "LATCHKEY_PUBLIC_URL", "http://localhost:" + otherPort)).run("dev", "--no-demo");
        assertThat(twice.code()).as(twice.toString()).isEqualTo(2);
        assertThat(twice.errLines()).as(twice.toString()).hasSize(1).first().asString()
                .startsWith("latchkey: latchkey dev is already running on " + folder.resolve(".latchkey").toAbsolutePath());
        for (Terminal.Result r : List.of(key, user, list, clients, keys, noTerminal)) {
            assertHumanOutput(r);
        }

        // Ctrl-C: dev stops and takes its announcement with it
        dev.destroy();
        assertThat(dev.waitFor(Terminal.WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(dev.exitValue()).as("a clean stop").isZero();
        assertThat(folder.resolve(".latchkey").resolve(DevInstance.FILE)).doesNotExist();
        // its embedded PostgreSQL stops after the server, gateway and demo have drained: nothing lost its database
        String stopped = Files.readString(log);
        assertThat(stopped.substring(stopped.indexOf("stopping (SIGTERM")).lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
                .as(stopped).isEmpty();

        // dev not running: each command starts the folder's embedded PostgreSQL for itself, and stops it
        Terminal.Result after = second.run("users", "list");
        assertThat(after.code()).as(after.toString()).isZero();
        assertThat(after.out()).contains("you@example.com").endsWith("1 users in total\n");
        Path file = folder.resolve("users.json");
        Files.writeString(file, "[{\"email\":\"imported@example.com\",\"password_hash\":\"$2b$04$35xNieC8LU6uXzANI/5i2unYklpGCZt5zXOGmGUjElNOO7m0qG/YG\"}]");
        Terminal.Result imported = second.run("users", "import", "--file", file.toString());
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(imported.out()).isEqualTo("imported 1 users; 0 already existed (left unchanged); 0 rows with errors\n");
        assertThat(imported.err()).isEmpty();
        Terminal.Result keysAfter = second.run("admin", "keys", "create", "--name", "ci");
        assertThat(keysAfter.code()).as(keysAfter.toString()).isZero();
        assertThat(keysAfter.out()).matches("lka_[A-Za-z0-9_-]+\n");
        Terminal.Result clientsAfter = second.run("admin", "clients", "list");
        assertThat(clientsAfter.out()).contains(DevStack.GATEWAY_CLIENT);
        for (Terminal.Result r : List.of(after, imported, keysAfter, clientsAfter)) {
            assertHumanOutput(r);
        }
        assertThat(livePostmaster()).as("each command stopped the PostgreSQL it started").isEmpty();
    }

    @Test
    void aKilledDevBlocksNeitherTheNextCommandNorTheNextDevAndACommandDuringItsStartWaits() throws Exception {
        int http = freePort();
        Map<String, String> env = Map.of("LATCHKEY_HTTP_PORT", Integer.toString(http), "LATCHKEY_PUBLIC_URL", "http://localhost:" + http);
        Terminal terminal = new Terminal(folder, env);
        Path log = folder.resolve("dev.log");
        dev = terminal.start(log, "dev", "--no-demo");
        Terminal.await(dev, log, "Stop with Ctrl-C");
        long orphan = postmaster();

        dev.destroyForcibly();                 // kill -9: no shutdown hook; the PostgreSQL and the announcement stay
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isPresent();
        assertThat(folder.resolve(".latchkey").resolve(DevInstance.FILE)).exists();

        Terminal.Result list = terminal.run("admin", "keys", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).startsWith("ID").endsWith("0 keys\n");
        assertThat(list.errLines()).as(list.toString()).hasSize(1).first().asString()
                .startsWith("latchkey: stopping the embedded PostgreSQL (pid " + orphan + ")");
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();

        // dev again, and at once a command: whichever takes the folder first, the other waits for it
        dev = terminal.start(folder.resolve("dev2.log"), "dev", "--no-demo");
        CompletableFuture<Terminal.Result> meanwhile = CompletableFuture.supplyAsync(() -> terminal.run("admin", "keys", "create", "--name", "me"));
        Terminal.await(dev, folder.resolve("dev2.log"), "Stop with Ctrl-C");
        Terminal.Result created = meanwhile.get(Terminal.WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).matches("lka_[A-Za-z0-9_-]+\n");
        assertHumanOutput(created);
        Terminal.Result keys = terminal.run("admin", "keys", "list");
        assertThat(keys.out()).containsPattern("(?m)\\s+me$").endsWith("1 key\n");
        assertHumanOutput(keys);
        dev.destroy();
        assertThat(dev.waitFor(Terminal.WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFailureIsOneLineAndVerboseAddsTheStackTrace() throws Exception {
        Map<String, String> env = Map.of("LATCHKEY_DATABASE_URL", "postgresql://127.0.0.1:" + freePort() + "/nowhere",
                "LATCHKEY_MASTER_KEY", MasterKey.generate().toBase64());
        Terminal terminal = new Terminal(folder, env);

        Terminal.Result plain = terminal.run("users", "list");
        assertThat(plain.code()).isNotZero();
        assertThat(plain.out()).isEmpty();
        assertThat(plain.errLines()).as(plain.toString()).hasSize(1);
        assertThat(plain.err()).startsWith("latchkey: cannot use the database jdbc:postgresql://127.0.0.1:")
                .contains("refused").contains("check LATCHKEY_DATABASE_URL");

        for (String[] args : List.of(new String[] {"users", "list", "--verbose"}, new String[] {"--verbose", "users", "list"})) {
            Terminal.Result verbose = terminal.run(args);
            assertThat(verbose.code()).isEqualTo(plain.code());
            assertThat(verbose.errLines()).as("the same line, among what the command logged as it worked").contains(plain.errLines().get(0));
            assertThat(verbose.err()).contains("\tat ").contains("Caused by: ").contains(" INFO ");
        }

        // a failure nobody foresaw: the command, what failed, where the details are
        Files.writeString(folder.resolve("not-a-folder"), "x");
        Terminal.Result unforeseen = new Terminal(folder, Map.of("LATCHKEY_DATA_DIR", "not-a-folder")).run("admin", "keys", "list");
        assertThat(unforeseen.code()).isEqualTo(1);
        assertThat(unforeseen.errLines()).as(unforeseen.toString()).hasSize(1).first().asString()
                .startsWith("latchkey: admin keys list: ").contains("not-a-folder").endsWith("(run it again with --verbose for the details)");
        assertHumanOutput(plain);
    }

    /** No log line (JSON or text) and no stack trace in what a command printed. */
    static void assertHumanOutput(Terminal.Result r) {
        for (String line : (r.out() + r.err()).lines().toList()) {
            assertThat(line).as(r.toString())
                    .doesNotStartWith("{")
                    .doesNotMatch("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")
                    .doesNotContain("\"level\"")
                    .doesNotStartWith("\tat ");
        }
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String base, String email) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The process id PostgreSQL wrote into the folder, or null. */
    private Long postmaster() throws IOException {
        Path pid = folder.resolve(".latchkey").resolve("postgres").resolve("postmaster.pid");
        return Files.exists(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).strip()) : null;
    }

    private Optional<ProcessHandle> livePostmaster() throws IOException {
        Long pid = postmaster();
        return pid == null ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
