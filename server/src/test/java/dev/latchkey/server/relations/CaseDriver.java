package dev.latchkey.server.relations;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a YAML relation case needs from a Latchkey: the engine called directly, or the OpenFGA-compatible HTTP API.
 * Tuple keys and query bodies are OpenFGA's JSON shapes; every refusal is a {@link Failure} with the wire code.
 */
interface CaseDriver extends AutoCloseable {
    String createStore(String name);

    /** Writes the model (given in the DSL) and returns its id. */
    String writeModel(String store, String dsl);

    void write(String store, List<JsonNode> writes, List<JsonNode> deletes);

    /** {@code query}: {@code tuple_key}, {@code contextual_tuples} (array), {@code context}, {@code consistency}. */
    boolean check(String store, JsonNode query);

    /** {@code query}: {@code type}, {@code relation}, {@code user}, {@code contextual_tuples}, {@code context}. */
    List<String> listObjects(String store, JsonNode query);

    /** {@code query}: {@code object} (type:id), {@code relation}, {@code filter} (type or type#relation), … Users as strings. */
    List<String> listUsers(String store, JsonNode query);

    @Override
    void close();

    /** A refusal: its wire code and message. */
    final class Failure extends RuntimeException {
        final String code;

        Failure(String code, String message) {
            super(code + ": " + message, null, false, false);
            this.code = code;
        }
    }
}
