package dev.latchkey.examples.notes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.examples.http.ApiProblem;
import dev.latchkey.sdk.javalin.LatchkeyPlugin;
import dev.latchkey.sdk.javalin.Require;
import dev.latchkey.sdk.relations.RelationsException;
import dev.latchkey.sdk.relations.Tuple;
import dev.latchkey.sdk.token.VerifiedToken;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sharing notes through relations (under {@value NotesApi#BASE}, where the gateway routes):
 * <ul>
 *   <li>{@code GET|PUT|DELETE /api/notes/{id}/shares} — the owner lists, adds or removes a share
 *       {@code {"with": "user:<id>" | "group:<name>", "relation": "viewer" | "editor"}}</li>
 *   <li>{@code GET /api/notes/groups/mine} — the caller's groups</li>
 *   <li>{@code PUT|DELETE /api/notes/groups/{name}/members/{user id}} — an admin of the caller's organization
 *       manages that organization's group</li>
 * </ul>
 * Who sees a shared note is not decided here: the notes SQL stays without a {@code WHERE} and row-level security
 * asks {@code latchkey.check('note', id, 'viewer')}. Without relation credentials these answer 503.
 */
public final class SharingApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NoteStore notes;
    private final Optional<NoteRelations> relations;

    public SharingApi(NoteStore notes, Optional<NoteRelations> relations) {
        this.notes = notes;
        this.relations = relations;
    }

    public void register(RoutesConfig r) {
        r.get(NotesApi.BASE + "/groups/mine", this::myGroups, Require.auth());
        r.put(NotesApi.BASE + "/groups/{group}/members/{user}", ctx -> member(ctx, true), Require.auth());
        r.delete(NotesApi.BASE + "/groups/{group}/members/{user}", ctx -> member(ctx, false), Require.auth());
        r.get(NotesApi.BASE + "/{id}/shares", ctx -> json(ctx, 200, shares(owned(ctx))), Require.auth());
        r.put(NotesApi.BASE + "/{id}/shares", ctx -> change(ctx, true), Require.auth());
        r.delete(NotesApi.BASE + "/{id}/shares", ctx -> change(ctx, false), Require.auth());
    }

    private NoteRelations relations() {
        return relations.orElseThrow(() -> new ApiProblem(503, "sharing_unavailable",
                "Sharing is not configured (the demo has no relation credentials)."));
    }

    /**
     * The path's note, when the caller owns it: invisible is 404, visible but someone else's is 403, and an
     * organization's note (its members see it already) is 409.
     */
    private UUID owned(Context ctx) throws SQLException {
        UUID id = NotesApi.id(ctx);
        Optional<Boolean> owner = notes.isOwner(NotesApi.caller(ctx), id);
        if (owner.isEmpty()) {
            throw ApiProblem.notFound();
        }
        if (!owner.get()) {
            throw new ApiProblem(403, "forbidden", "Only the note's owner shares it.");
        }
        if (notes.find(NotesApi.caller(ctx), id).map(n -> n.visibility() == Visibility.ORG).orElse(false)) {
            throw new ApiProblem(409, "org_note", "An organization's note is for its members; only private notes are shared.");
        }
        return id;
    }

    private void change(Context ctx, boolean add) throws SQLException {
        UUID id = owned(ctx);
        ShareInput in = ShareInput.parse(ctx.header("Content-Type"), body(ctx));
        String user = in.with().startsWith("group:") ? "group:" + org(ctx) + "." + in.with().substring(6) + "#member" : in.with();
        call(() -> {
            if (add) {
                relations().share(id, user, in.relation());
            } else {
                relations().unshare(id, user, in.relation());
            }
        });
        json(ctx, 200, shares(id));
    }

    private Map<String, Object> shares(UUID id) {
        List<Tuple> ts = call(() -> relations().shares(id));
        return Map.of("shares", ts.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            String u = t.user();
            m.put("with", u.startsWith("group:") && u.endsWith("#member")
                    ? "group:" + u.substring(u.indexOf('.') + 1, u.length() - "#member".length()) : u);
            m.put("relation", t.relation());
            return m;
        }).toList());
    }

    private void myGroups(Context ctx) {
        UUID me = UUID.fromString(NotesApi.caller(ctx).subject());
        Optional<String> org = token(ctx).organization();
        List<String> groups = call(() -> relations().groupsOf(me)).stream()
                .filter(g -> org.isPresent() && g.startsWith(org.get() + "."))
                .map(g -> g.substring(g.indexOf('.') + 1)).toList();
        json(ctx, 200, Map.of("groups", groups));
    }

    private void member(Context ctx, boolean add) {
        NotesApi.caller(ctx);
        String org = org(ctx);
        if (!token(ctx).roles().contains("admin")) {
            throw new ApiProblem(403, "forbidden", "Only an admin of the organization manages its groups.");
        }
        String group = ctx.pathParam("group");
        if (!ShareInput.GROUP.matcher(group).matches()) {
            throw ApiProblem.badRequest("A group name is 1-40 characters of a-z, 0-9, _ and -.");
        }
        UUID user;
        try {
            user = UUID.fromString(ctx.pathParam("user"));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("The member is a user id.");
        }
        call(() -> {
            if (add) {
                relations().addMember(org + "." + group, user);
            } else {
                relations().removeMember(org + "." + group, user);
            }
        });
        ctx.status(204);
    }

    private static VerifiedToken token(Context ctx) {
        return LatchkeyPlugin.requirePrincipal(ctx);
    }

    private static String org(Context ctx) {
        return token(ctx).organization().orElseThrow(() -> new ApiProblem(400, "no_organization",
                "Groups belong to an organization; this token names none."));
    }

    private static void call(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    private static <T> T call(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (RelationsException e) {
            throw new ApiProblem(e.status() >= 400 && e.status() < 500 ? 400 : 503, "relations_" + (e.status() >= 400 && e.status() < 500
                    ? "refused" : "unavailable"), "Latchkey's relations API: " + e.getMessage());
        }
    }

    private static byte[] body(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(4097);
            if (b.length > 4096) {
                throw new ApiProblem(413, "payload_too_large", "The body is too large.");
            }
            return b;
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body could not be read.");
        }
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
