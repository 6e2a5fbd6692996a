package dev.latchkey.examples.notes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.examples.http.ApiProblem;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A note as a client sends it: {@code {"title": "…", "body": "…", "visibility": "private" | "org"}} (visibility only
 * when creating it; absent means private). {@link #parse} is strict: a JSON
 * object with no other, duplicate or mistyped field; a title of 1–{@value #MAX_TITLE} characters that is not
 * blank; a body of at most {@value #MAX_BODY} characters (absent means empty); no NUL characters or unpaired
 * surrogates (PostgreSQL text cannot hold them). Each failure is a 4xx {@link ApiProblem} naming the field.
 */
public record NoteInput(String title, String body, Optional<Visibility> visibility) {
    public static final int MAX_TITLE = 200;
    public static final int MAX_BODY = 10_000;
    /** The largest request body read (UTF-8 can take 4 bytes a character, plus JSON escapes). */
    public static final int MAX_BYTES = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("title", "body", "visibility");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    public NoteInput {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(visibility, "visibility");
    }

    /** A private note's text. */
    public NoteInput(String title, String body) {
        this(title, body, Optional.empty());
    }

    /** @param contentType the request's {@code Content-Type}; must be {@code application/json} */
    public static NoteInput parse(String contentType, byte[] bytes) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new ApiProblem(415, "unsupported_media_type", "Send the note as application/json.");
        }
        if (bytes.length > MAX_BYTES) {
            throw new ApiProblem(413, "payload_too_large", "The body is larger than " + MAX_BYTES + " bytes.");
        }
        if (bytes.length == 0) {
            throw ApiProblem.badRequest("The body is empty; a JSON object with 'title' and 'body' is expected.");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(bytes)) {
            root = JSON.readTree(p);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest(e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "The body has a duplicate field." : "The body is not valid JSON.");
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body could not be read.");
        }
        if (root == null || !root.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object with 'title' and 'body'.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiProblem.badRequest("Unknown field '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'.");
            }
        }
        String title = text(root, "title", MAX_TITLE);
        if (title == null || title.isBlank()) {
            throw ApiProblem.badRequest("Field 'title' is required.");
        }
        String body = text(root, "body", MAX_BODY);
        JsonNode v = root.get("visibility");
        Optional<Visibility> visibility = Optional.empty();
        if (v != null && !v.isNull()) {
            visibility = v.isTextual() ? Visibility.parse(v.textValue()) : Optional.empty();
            if (visibility.isEmpty()) {
                throw ApiProblem.badRequest("Field 'visibility' must be 'private' or 'org'.");
            }
        }
        return new NoteInput(title.strip(), body == null ? "" : body, visibility);
    }

    /** JSON may escape half a surrogate pair ({@code "\\ud800"}); such text has no UTF-8 form to store. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode root, String field, int max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblem.badRequest("Field '" + field + "' must be a string.");
        }
        String value = node.textValue();
        if (value.codePointCount(0, value.length()) > max) {
            throw ApiProblem.badRequest("Field '" + field + "' is longer than " + max + " characters.");
        }
        if (value.indexOf('\0') >= 0) {
            throw ApiProblem.badRequest("Field '" + field + "' contains a NUL character.");
        }
        if (!wellFormed(value)) {
            throw ApiProblem.badRequest("Field '" + field + "' is not valid Unicode (an unpaired surrogate escape).");
        }
        return value;
    }
}
