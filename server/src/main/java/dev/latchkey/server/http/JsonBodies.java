package dev.latchkey.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Strict JSON request bodies: the content type must be JSON, the body within the size limit,
 * well-formed, with no unknown or duplicate fields and every field of the right type. Each failure
 * is a specific 4xx problem naming the field, never a 500.
 */
public final class JsonBodies {
    private final ObjectMapper mapper;
    private final int maxBody;

    public JsonBodies(int maxBody) {
        this.maxBody = maxBody;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // a number or boolean where text is expected is a type error, not something to stringify
        for (var shape : new com.fasterxml.jackson.databind.cfg.CoercionInputShape[] {
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                    .setCoercion(shape, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        }
        mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Boolean)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public <T> T read(Context ctx, Class<T> type) {
        requireJson(ctx);
        byte[] body = bytes(ctx);
        if (body.length == 0) {
            throw LatchkeyException.withMessage(ErrorCode.MALFORMED_REQUEST, "The request body is empty; a JSON object is expected.", "empty body");
        }
        try (JsonParser p = mapper.createParser(body)) {
            T value = mapper.readValue(p, type);
            if (value == null) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "The body must be a JSON object.", "json null body");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Unknown field '" + e.getPropertyName() + "'.", "unknown field");
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                    .collect(Collectors.joining("."));
            String msg = field.isEmpty() ? "The body must be a JSON object." : "Field '" + field + "' has the wrong type.";
            if (e.getMessage() != null && e.getMessage().contains("Duplicate field")) {
                msg = "Duplicate field" + (field.isEmpty() ? "." : " '" + field + "'.");
            }
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, msg, "json mapping: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            String msg = m.startsWith("Duplicate field") ? "The body has a duplicate field." : "The body is not valid JSON.";
            throw LatchkeyException.withMessage(ErrorCode.MALFORMED_REQUEST, msg, "json parse: " + m);
        } catch (IOException e) {
            throw LatchkeyException.wrap(ErrorCode.MALFORMED_REQUEST, "reading the body", e);
        }
    }

    /** The body, refusing anything over the size limit (by Content-Length and by what arrives). */
    public byte[] bytes(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > maxBody) {
            throw LatchkeyException.of(ErrorCode.PAYLOAD_TOO_LARGE, "declared body of " + declared + " bytes");
        }
        try (var in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(maxBody + 1);
            if (b.length > maxBody) {
                throw LatchkeyException.of(ErrorCode.PAYLOAD_TOO_LARGE, "body over " + maxBody + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw LatchkeyException.wrap(ErrorCode.MALFORMED_REQUEST, "reading the body", e);
        }
    }

    static void requireJson(Context ctx) {
        String ct = ctx.header("Content-Type");
        String base = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.",
                    "content type " + (ct == null ? "missing" : ct));
        }
    }

    /** A required, non-blank text field. */
    public static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field '" + field + "' is required.", "missing " + field);
        }
        return value;
    }

    /** An optional text field no longer than {@code max}. */
    public static String bounded(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field '" + field + "' is longer than " + max + " characters.",
                    "too long " + field);
        }
        return value;
    }
}
