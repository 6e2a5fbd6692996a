package dev.latchkey.sdk.revocation;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One HTTP exchange with the feed: the request (credentials, {@code Last-Event-ID}), the response checks,
 * then the body's lines handed to a consumer until the stream ends. Also finds the feed endpoint through
 * OpenID Connect Discovery ({@code latchkey_revocation_feed_endpoint}).
 */
final class FeedConnection {
    /** Why the server did not open a stream (status and the start of its body, for the log). */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String body) {
            super("answered " + status + ": " + body);
            this.status = status;
        }
    }

    private final HttpClient http;
    private final FeedCredentials credentials;
    private final String issuer;
    private final Duration requestTimeout;
    private final Clock clock;

    FeedConnection(HttpClient http, FeedCredentials credentials, String issuer, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.issuer = issuer;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /**
     * Opens the stream and returns its body once the server accepted (200, {@code text/event-stream});
     * a {@link Refused} otherwise. The caller closes the stream.
     */
    InputStream open(URI endpoint, OptionalLong lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
                .header("Accept", "text/event-stream").header("Cache-Control", "no-store");
        lastEventId.ifPresent(id -> b.header("Last-Event-ID", Long.toString(id)));
        switch (credentials) {
            case FeedCredentials.ClientSecretBasic c -> b.header("Authorization", c.header()).GET();
            case FeedCredentials.ClientSecretPost c -> form(b, c.form());
            case FeedCredentials.PrivateKeyJwt c -> form(b, c.form(List.of(issuer, endpoint.toString()), clock.instant()));
        }
        HttpResponse<InputStream> res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (res.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            try (InputStream body = res.body()) {
                throw new Refused(res.statusCode(), new String(body.readNBytes(512), StandardCharsets.UTF_8).strip());
            }
        }
        return res.body();
    }

    /** Feeds every line of the stream to {@code line} until it ends (HTML §9.2.5: lines end in CRLF, LF or CR). */
    static void read(InputStream body, Consumer<String> line) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        for (String l; (l = r.readLine()) != null; ) {
            line.accept(l);
        }
    }

    /** The feed endpoint the issuer advertises (OpenID Connect Discovery 1.0 §4; its {@code issuer} must match, §4.3). */
    URI discover() throws IOException, InterruptedException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI uri = URI.create(base + "/.well-known/openid-configuration");
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = res.body()) {
            if (res.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + res.statusCode());
            }
            Map<String, Object> doc = JSONObjectUtils.parse(new String(body.readNBytes(256 * 1024), StandardCharsets.UTF_8));
            if (!issuer.equals(JSONObjectUtils.getString(doc, "issuer"))) {
                throw new IOException("discovery document at " + uri + " names another issuer");
            }
            URI feed = JSONObjectUtils.getURI(doc, "latchkey_revocation_feed_endpoint");
            if (feed == null || !feed.isAbsolute()) {
                throw new IOException("the issuer does not advertise latchkey_revocation_feed_endpoint");
            }
            return feed;
        } catch (ParseException e) {
            throw new IOException("discovery document at " + uri + " is not JSON", e);
        }
    }

    private static void form(HttpRequest.Builder b, String form) {
        b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    }
}
