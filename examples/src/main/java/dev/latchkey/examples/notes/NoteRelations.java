package dev.latchkey.examples.notes;

import dev.latchkey.sdk.relations.RelationMirror;
import dev.latchkey.sdk.relations.RelationsClient;
import dev.latchkey.sdk.relations.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The notes' relations in Latchkey (model {@code demo/notes.fga}: a note's owner, editors and viewers, users or an
 * organization's group) and their mirror in the notes database, where {@code latchkey.check()} lets row-level
 * security enforce them. Each change is written to Latchkey, then mirrored at once ({@link RelationMirror#syncNow()}),
 * so the writer's next request sees it; other app nodes within the mirror's interval (1 s).
 */
public final class NoteRelations implements AutoCloseable {
    public static final String STORE = "latchkey-demo-notes";
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_STALENESS = Duration.ofSeconds(30);

    private final RelationsClient fga;
    private final RelationMirror mirror;

    private NoteRelations(RelationsClient fga, RelationMirror mirror) {
        this.fga = fga;
        this.mirror = mirror;
    }

    /** Finds or creates the store with the notes model, mirrors it into {@code mirrorDb} and keeps following. */
    public static NoteRelations start(String issuer, String clientId, String secret, DataSource mirrorDb) {
        RelationsClient fga = RelationsClient.forStoreNamed(issuer, clientId, secret, STORE, model());
        return new NoteRelations(fga, new RelationMirror(fga, mirrorDb, INTERVAL, MAX_STALENESS, "user").start());
    }

    static String model() {
        try (InputStream in = NoteRelations.class.getResourceAsStream("/demo/notes-model.json")) {
            return new String(Objects.requireNonNull(in, "demo/notes-model.json").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RelationsClient client() {
        return fga;
    }

    void created(UUID note, UUID owner) {
        change(List.of(new Tuple(object(note), "owner", "user:" + owner)), List.of());
    }

    void deleted(UUID note) {
        change(List.of(), fga.read(object(note)));
    }

    /** The note's viewers and editors (not its owner). */
    List<Tuple> shares(UUID note) {
        return fga.read(object(note)).stream().filter(t -> !t.relation().equals("owner")).toList();
    }

    void share(UUID note, String user, String relation) {
        change(List.of(new Tuple(object(note), relation, user)), List.of());
    }

    void unshare(UUID note, String user, String relation) {
        change(List.of(), List.of(new Tuple(object(note), relation, user)));
    }

    void addMember(String group, UUID user) {
        change(List.of(new Tuple("group:" + group, "member", "user:" + user)), List.of());
    }

    void removeMember(String group, UUID user) {
        change(List.of(), List.of(new Tuple("group:" + group, "member", "user:" + user)));
    }

    /** The groups (ids, {@code <org>.<name>}) the user is a member of. */
    List<String> groupsOf(UUID user) {
        return fga.listObjects("user:" + user, "member", "group").stream().map(g -> g.substring("group:".length())).sorted().toList();
    }

    private void change(List<Tuple> writes, List<Tuple> deletes) {
        if (writes.isEmpty() && deletes.isEmpty()) {
            return;
        }
        fga.write(writes, deletes);
        mirror.syncNow();
    }

    static String object(UUID note) {
        return "note:" + note;
    }

    @Override
    public void close() {
        mirror.close();
    }
}
