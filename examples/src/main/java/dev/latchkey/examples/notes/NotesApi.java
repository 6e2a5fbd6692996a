package dev.latchkey.examples.notes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.examples.http.ApiProblem;
import dev.latchkey.sdk.javalin.LatchkeyPlugin;
import dev.latchkey.sdk.javalin.Require;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.sdk.token.VerifiedToken;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The notes API under {@value #BASE}, for a Latchkey access token (the gateway relays the user's):
 * <ul>
 *   <li>{@code GET /api/notes} → 200 {@code {"notes":[…]}} (own private notes, those shared with the caller, the
 *       current organization's notes; an org admin also every note written in the org)</li>
 *   <li>{@code POST /api/notes} {@code {"title","body","visibility"?}} → 201 with the note and {@code Location};
 *       {@code "visibility":"org"} writes a note of the token's organization (403 {@code permission_required} without
 *       {@code notes:write} there, 400 {@code no_organization} without an organization)</li>
 *   <li>{@code GET|PUT|DELETE /api/notes/{id}} → 200 / 200 / 204, or 404 when the caller cannot see it</li>
 * </ul>
 * Authentication is the SDK's {@link LatchkeyPlugin} ({@link Require#user()} on every route: notes belong to users,
 * so a client's own {@code client_credentials} token gets 403 whatever its {@code sub}); which rows exist for the
 * caller is decided by PostgreSQL row-level security through {@link NoteStore}.
 */
public final class NotesApi {
    public static final String BASE = "/api/notes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NotesApi.class);

    private final NoteStore store;
    private final java.util.Optional<NoteRelations> relations;

    public NotesApi(NoteStore store) {
        this(store, java.util.Optional.empty());
    }

    /** With relations, a new note's owner is also written to Latchkey, and a deleted note's relations are removed. */
    public NotesApi(NoteStore store, java.util.Optional<NoteRelations> relations) {
        this.store = Objects.requireNonNull(store, "store");
        this.relations = Objects.requireNonNull(relations, "relations");
    }

    public void register(RoutesConfig r) {
        r.get(BASE, this::list, Require.user());
        r.post(BASE, this::create, Require.user());
        r.get(BASE + "/{id}", this::get, Require.user());
        r.put(BASE + "/{id}", this::replace, Require.user());
        r.delete(BASE + "/{id}", this::delete, Require.user());
    }

    private void list(Context ctx) throws SQLException {
        List<Map<String, Object>> notes = store.list(caller(ctx)).stream().map(NotesApi::render).toList();
        json(ctx, 200, Map.of("notes", notes));
    }

    private void create(Context ctx) throws SQLException {
        DatabaseIdentity who = caller(ctx);
        NoteInput input = NoteInput.parse(ctx.header("Content-Type"), body(ctx));
        boolean org = input.visibility().orElse(Visibility.PRIVATE) == Visibility.ORG;
        if (org && who.organization().isEmpty()) {
            throw new ApiProblem(400, "no_organization", "An organization's note is written while signed in to an organization; "
                    + "this token names none.");
        }
        Note note;
        try {
            note = store.create(who, input);
        } catch (SQLException e) {
            if (org && NoteStore.isPolicyRefusal(e)) {            // the insert policy: notes:write in the token's organization
                throw writeRefused();
            }
            throw e;
        }
        if (note.visibility() == Visibility.PRIVATE) {          // an organization's note is its members', not shared by relations
            relations.ifPresent(r -> bestEffort(() -> r.created(note.id(), note.ownerId()), "owner of " + note.id()));
        }
        ctx.header("Location", BASE + "/" + note.id());
        json(ctx, 201, render(note));
    }

    private void get(Context ctx) throws SQLException {
        json(ctx, 200, render(store.find(caller(ctx), id(ctx)).orElseThrow(ApiProblem::notFound)));
    }

    private void replace(Context ctx) throws SQLException {
        DatabaseIdentity who = caller(ctx);
        UUID id = id(ctx);
        NoteInput input = NoteInput.parse(ctx.header("Content-Type"), body(ctx));
        if (input.visibility().isPresent()) {
            throw ApiProblem.badRequest("Field 'visibility' is chosen when the note is created and cannot change.");
        }
        Optional<Note> replaced = store.replace(who, id, input);
        if (replaced.isEmpty()) {
            throw unchanged(who, id);
        }
        json(ctx, 200, render(replaced.get()));
    }

    private void delete(Context ctx) throws SQLException {
        UUID id = id(ctx);
        DatabaseIdentity who = caller(ctx);
        if (!store.delete(who, id)) {
            throw unchanged(who, id);
        }
        relations.ifPresent(r -> bestEffort(() -> r.deleted(id), "relations of " + id));
        ctx.status(204);
    }

    /**
     * Why an update or delete changed no row: an organization's note the caller sees but may not write (403, said
     * plainly), else 404 (invisible, or another's note the caller only reads, as before organization notes).
     */
    private ApiProblem unchanged(DatabaseIdentity who, UUID id) throws SQLException {
        return store.find(who, id).filter(n -> n.visibility() == Visibility.ORG).map(n -> writeRefused()).orElseGet(ApiProblem::notFound);
    }

    private static ApiProblem writeRefused() {
        return new ApiProblem(403, "permission_required",
                "Writing your organization's notes needs the notes:write permission in it (a role of the organization grants it).");
    }

    /** The row is the truth for its owner (RLS compares owner_id); a relation Latchkey could not take is logged, not fatal. */
    private static void bestEffort(Runnable r, String what) {
        try {
            r.run();
        } catch (dev.latchkey.sdk.relations.RelationsException e) {
            LOG.warn("could not update {} in Latchkey: {}", what, e.getMessage());
        }
    }

    /** The verified principal as a database identity; notes belong to users, so it must be a user's token. */
    static DatabaseIdentity caller(Context ctx) {
        VerifiedToken token = LatchkeyPlugin.requirePrincipal(ctx);
        if (!token.isUser()) {
            // Require.user() refused it already; this keeps a route added without it from acting for a machine
            throw new ApiProblem(403, "forbidden", "Notes belong to users; this token is a client's own, not a user's.");
        }
        return DatabaseIdentity.of(token);
    }

    /** A path id that is not a UUID names no note: 404, like a note of someone else. */
    static UUID id(Context ctx) {
        String raw = ctx.pathParam("id");
        if (raw.length() != 36) {
            throw ApiProblem.notFound();
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound();
        }
    }

    private static byte[] body(Context ctx) {
        if (ctx.contentLength() > NoteInput.MAX_BYTES) {
            throw new ApiProblem(413, "payload_too_large", "The body is larger than " + NoteInput.MAX_BYTES + " bytes.");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return in.readNBytes(NoteInput.MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body could not be read.");
        }
    }

    static Map<String, Object> render(Note n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id().toString());
        m.put("owner_id", n.ownerId().toString());
        m.put("org_id", n.orgId().orElse(null));
        m.put("visibility", n.visibility().wireName());
        m.put("title", n.title());
        m.put("body", n.body());
        m.put("created_at", n.createdAt().toString());
        return m;
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.header("Cache-Control", "no-store");
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
