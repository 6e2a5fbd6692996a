package dev.latchkey.examples;

import dev.latchkey.examples.http.ApiProblem;
import dev.latchkey.examples.http.Problems;
import dev.latchkey.examples.http.SecurityHeaders;
import dev.latchkey.examples.notes.NoteRelations;
import dev.latchkey.examples.notes.NoteStore;
import dev.latchkey.examples.notes.NotesApi;
import dev.latchkey.examples.notes.NotesDatabase;
import dev.latchkey.examples.notes.SharingApi;
import dev.latchkey.examples.pages.GatewayAssertions;
import dev.latchkey.examples.pages.PagesApp;
import dev.latchkey.sdk.javalin.LatchkeyPlugin;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RevocationCheck;
import dev.latchkey.sdk.token.TokenVerifier;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo app on one port: the pages ({@code /}, {@code /dashboard}, {@code /static/*}) and the notes API
 * ({@code /api/notes…}). Composition root: every part is built here, explicitly.
 *
 * <pre>{@code
 * try (DemoApp app = DemoApp.start(DemoConfig.of("http://localhost:8080", "http://localhost:8000", jdbcUrl, 8090))) { … }
 * }</pre>
 */
public final class DemoApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoApp.class);

    private final Javalin javalin;
    private final NotesDatabase database;
    private final Optional<RevocationFeed> feed;
    private final NoteStore notes;
    private final Optional<NoteRelations> relations;

    private DemoApp(Javalin javalin, NotesDatabase database, Optional<RevocationFeed> feed, NoteStore notes, Optional<NoteRelations> relations) {
        this.javalin = javalin;
        this.database = database;
        this.feed = feed;
        this.notes = notes;
        this.relations = relations;
    }

    /** Validates the configuration, migrates the database, connects the revocation feed (if any) and listens. */
    public static DemoApp start(DemoConfig config) {
        config.validate();
        NotesDatabase database = NotesDatabase.open(config.database(), config.poolSize());
        Optional<RevocationFeed> feed = Optional.empty();
        Optional<NoteRelations> relations = Optional.empty();
        try {
            feed = config.feed().map(f -> RevocationFeed.builder()
                    .issuer(config.issuer())
                    .credentials(FeedCredentials.clientSecretBasic(f.clientId(), f.clientSecret()))
                    .build()
                    .start());
            TokenVerifier accessTokens = TokenVerifier.builder()
                    .issuer(config.issuer())
                    .audience(config.apiAudience())
                    .revocationCheck(feed.<RevocationCheck>map(x -> x).orElse(RevocationCheck.NONE))
                    .build();
            relations = config.feed().flatMap(f -> relations(config.issuer(), f, database));
            NoteStore notes = new NoteStore(database.identities());
            NotesApi api = new NotesApi(notes, relations);
            SharingApi sharing = new SharingApi(notes, relations);
            PagesApp pages = new PagesApp(new GatewayAssertions(config.gatewayUrl(), config.assertionAudience()), relations.isPresent());
            Javalin javalin = Javalin.create(c -> {
                c.concurrency.useVirtualThreads = true;
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false;
                c.jetty.host = config.host();
                c.jetty.port = config.port();
                c.http.maxRequestSize = 2L * dev.latchkey.examples.notes.NoteInput.MAX_BYTES;
                c.http.generateEtags = false;
                c.jetty.modifyHttpConfiguration(h -> {
                    h.setSendServerVersion(false);
                    h.setSendXPoweredBy(false);
                });
                c.registerPlugin(new LatchkeyPlugin(p -> {
                    p.verifier = accessTokens;
                    p.realm = "notes";
                }));
                c.routes.before(SecurityHeaders::everyResponse);
                sharing.register(c.routes);
                api.register(c.routes);
                pages.register(c.routes);
                c.routes.exception(ApiProblem.class, (e, ctx) -> Problems.write(ctx, e));
                c.routes.exception(GatewayAssertions.Unavailable.class, (e, ctx) ->
                        Problems.write(ctx, 503, "gateway_keys_unavailable", "The gateway's keys are unavailable; try again shortly."));
                c.routes.exception(Exception.class, (e, ctx) -> {
                    log.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
                    Problems.write(ctx, 500, "internal_error", "Something went wrong on our side.");
                });
                c.routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
                    if (!Problems.CONTENT_TYPE.equals(ctx.res().getContentType())) {   // not already a problem (e.g. "no such note")
                        Problems.write(ctx, 404, "not_found", "Nothing here.");
                    }
                });
                c.routes.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), ctx ->
                        Problems.write(ctx, 405, "method_not_allowed", "This method is not allowed here."));
                c.routes.error(HttpStatus.CONTENT_TOO_LARGE.getCode(), ctx -> {
                    if (!Problems.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                        Problems.write(ctx, 413, "payload_too_large", "The body is too large.");
                    }
                });
            });
            javalin.start();
            log.info("demo app listening on {}:{} (issuer {}, gateway {}, revocation feed {}, sharing {})", config.host(), javalin.port(),
                    config.issuer(), config.gatewayUrl(), feed.isPresent() ? "on" : "off", relations.isPresent() ? "on" : "off");
            return new DemoApp(javalin, database, feed, notes, relations);
        } catch (RuntimeException e) {
            relations.ifPresent(NoteRelations::close);
            feed.ifPresent(RevocationFeed::close);
            database.close();
            throw e;
        }
    }

    /**
     * Sharing needs relation credentials: the feed client doubles as the relations client when it also has scope
     * {@code latchkey:fga} ({@code latchkey dev} registers it so). Without them, sharing answers 503 and notes stay private.
     */
    private static Optional<NoteRelations> relations(String issuer, DemoConfig.Feed f, NotesDatabase database) {
        try {
            return Optional.of(NoteRelations.start(issuer, f.clientId(), f.clientSecret(), database.mirrorPool()));
        } catch (dev.latchkey.sdk.relations.RelationsException e) {
            log.warn("sharing is off: the relations API refused client {} ({} {}); give it scope latchkey:fga to share notes", f.clientId(),
                    e.status(), e.code());
            return Optional.empty();
        }
    }

    /** Sharing's relations, when configured. */
    public Optional<NoteRelations> relations() {
        return relations;
    }

    /** The bound port (useful when the configuration asked for 0). */
    public int port() {
        return javalin.port();
    }

    /** The revocation feed, when configured (for health checks and tests). */
    public Optional<RevocationFeed> feed() {
        return feed;
    }

    /** The notes store: the same RLS-bound SQL the API runs, for tests and jobs acting for a user. */
    public NoteStore notes() {
        return notes;
    }

    /** The RLS bridge over the pool (connections carry an identity, or none). */
    public dev.latchkey.sdk.rls.IdentityDataSource dataSource() {
        return database.identities();
    }

    @Override
    public void close() {
        javalin.stop();
        relations.ifPresent(NoteRelations::close);
        feed.ifPresent(RevocationFeed::close);
        database.close();
    }
}
