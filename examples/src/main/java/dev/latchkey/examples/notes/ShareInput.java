package dev.latchkey.examples.notes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.examples.http.ApiProblem;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A share as a client sends it: {@code {"with": "user:<id>" | "group:<name>", "relation": "viewer" | "editor"}}.
 * A group is one of the sharer's organization ({@code group:eng} means {@code group:<org>.eng#member}).
 */
record ShareInput(String with, String relation) {
    static final Pattern GROUP = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final Set<String> RELATIONS = Set.of("viewer", "editor");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    static ShareInput parse(String contentType, byte[] bytes) {
        String base = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new ApiProblem(415, "unsupported_media_type", "Send the share as application/json.");
        }
        JsonNode root;
        try (JsonParser p = JSON.createParser(bytes)) {
            root = JSON.readTree(p);
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object with 'with' and 'relation'.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("with") && !f.equals("relation")) {
                throw ApiProblem.badRequest("Unknown field '" + (f.length() > 40 ? f.substring(0, 40) : f) + "'.");
            }
        }
        JsonNode w = root.get("with");
        JsonNode r = root.get("relation");
        if (w == null || !w.isTextual() || r == null || !r.isTextual()) {
            throw ApiProblem.badRequest("Fields 'with' and 'relation' are required strings.");
        }
        if (!RELATIONS.contains(r.textValue())) {
            throw ApiProblem.badRequest("Field 'relation' must be 'viewer' or 'editor'.");
        }
        String with = w.textValue();
        if (with.startsWith("user:")) {
            try {
                UUID.fromString(with.substring(5));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("Field 'with': a user is 'user:<user id>'.");
            }
        } else if (!with.startsWith("group:") || !GROUP.matcher(with.substring(6)).matches()) {
            throw ApiProblem.badRequest("Field 'with' must be 'user:<user id>' or 'group:<name>' (a-z, 0-9, _ and -).");
        }
        return new ShareInput(with, r.textValue());
    }
}
