package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.openfga.sdk.api.client.OpenFgaClient;
import dev.openfga.sdk.api.client.model.ClientBatchCheckItem;
import dev.openfga.sdk.api.client.model.ClientBatchCheckRequest;
import dev.openfga.sdk.api.client.model.ClientBatchCheckSingleResponse;
import dev.openfga.sdk.api.client.model.ClientCheckRequest;
import dev.openfga.sdk.api.client.model.ClientExpandRequest;
import dev.openfga.sdk.api.client.model.ClientListObjectsRequest;
import dev.openfga.sdk.api.client.model.ClientListUsersRequest;
import dev.openfga.sdk.api.client.model.ClientReadChangesRequest;
import dev.openfga.sdk.api.client.model.ClientReadRequest;
import dev.openfga.sdk.api.client.model.ClientRelationshipCondition;
import dev.openfga.sdk.api.client.model.ClientTupleKey;
import dev.openfga.sdk.api.client.model.ClientTupleKeyWithoutCondition;
import dev.openfga.sdk.api.client.model.ClientWriteRequest;
import dev.openfga.sdk.api.configuration.ClientConfiguration;
import dev.openfga.sdk.api.configuration.ClientCredentials;
import dev.openfga.sdk.api.configuration.ClientWriteOptions;
import dev.openfga.sdk.api.configuration.Credentials;
import dev.openfga.sdk.api.model.CreateStoreRequest;
import dev.openfga.sdk.api.model.FgaObject;
import dev.openfga.sdk.api.model.TupleChange;
import dev.openfga.sdk.api.model.TupleOperation;
import dev.openfga.sdk.api.model.UserTypeFilter;
import dev.openfga.sdk.api.model.WriteAuthorizationModelRequest;
import dev.openfga.sdk.api.model.WriteRequestDeletes;
import dev.openfga.sdk.api.model.WriteRequestWrites;
import dev.openfga.sdk.errors.FgaApiValidationError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenFGA Java SDK ({@code dev.openfga:openfga-sdk}) against a real Latchkey: {@code apiUrl} is the
 * server's {@code /fga}, the SDK fetches its own client-credentials token from Latchkey's token endpoint, and every
 * call goes through the SDK's own models and error handling, unchanged.
 */
class OpenFgaSdkTest {
    static final String ADMIN_KEY = "lka_openfga-sdk-test-bootstrap-key-0123456789ab";
    static final String MODEL = """
            model
              schema 1.1
            type user
            type team
              relations
                define member: [user]
            type folder
              relations
                define viewer: [user, team#member]
            type document
              relations
                define parent: [folder]
                define owner: [user]
                define viewer: [user, user with in_hours, team#member] or owner or viewer from parent
            condition in_hours(hour: int) {
              hour >= 9 && hour < 17
            }
            """;
    static TestServer server;
    static OpenFgaClient fga;
    static String modelId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        Http admin = new Http(server.base);
        JsonNode client = admin.postJson("/admin/v1/clients", "{\"client_id\":\"fga-sdk\",\"grant_types\":[\"client_credentials\"],\"scope\":\"latchkey:fga\","
                        + "\"token_endpoint_auth_method\":\"client_secret_post\",\"audiences\":[\"" + server.base + "\"]}",
                "Authorization", "Bearer " + ADMIN_KEY).json();
        ClientConfiguration config = new ClientConfiguration().apiUrl(server.base + "/fga")
                .readTimeout(Duration.ofSeconds(60)).connectTimeout(Duration.ofSeconds(30))
                .credentials(new Credentials(new ClientCredentials().clientId("fga-sdk").clientSecret(client.get("client_secret").asText())
                        .apiTokenIssuer(server.base + "/oauth2/token").apiAudience(server.base)));
        fga = new OpenFgaClient(config);
        String store = fga.createStore(new CreateStoreRequest().name("sdk-test")).get().getId();
        fga.setStoreId(store);
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        WriteAuthorizationModelRequest model = mapper.readValue(ModelJson.write(ModelDsl.parse(MODEL)), WriteAuthorizationModelRequest.class);
        modelId = fga.writeAuthorizationModel(model).get().getAuthorizationModelId();
        fga.setAuthorizationModelId(modelId);
        fga.write(new ClientWriteRequest().writes(List.of(
                tuple("user:alice", "owner", "document:report"),
                tuple("folder:designs", "parent", "document:report"),
                tuple("team:engineering#member", "viewer", "folder:designs"),
                tuple("user:bob", "member", "team:engineering"),
                tuple("user:carol", "viewer", "document:memo").condition(new ClientRelationshipCondition().name("in_hours"))))).get();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ClientTupleKey tuple(String user, String relation, String object) {
        return new ClientTupleKey().user(user).relation(relation)._object(object);
    }

    @Test
    void checksThroughOwnersTeamsAndFolders() throws Exception {
        assertThat(fga.check(new ClientCheckRequest().user("user:bob").relation("viewer")._object("document:report")).get().getAllowed()).isTrue();
        assertThat(fga.check(new ClientCheckRequest().user("user:alice").relation("viewer")._object("document:report")).get().getAllowed()).isTrue();
        assertThat(fga.check(new ClientCheckRequest().user("user:eve").relation("viewer")._object("document:report")).get().getAllowed()).isFalse();
        assertThat(fga.check(new ClientCheckRequest().user("user:carol").relation("viewer")._object("document:memo").context(Map.of("hour", 10)))
                .get().getAllowed()).isTrue();
        assertThat(fga.check(new ClientCheckRequest().user("user:carol").relation("viewer")._object("document:memo").context(Map.of("hour", 20)))
                .get().getAllowed()).isFalse();
        assertThat(fga.check(new ClientCheckRequest().user("user:dan").relation("viewer")._object("document:report")
                .contextualTuples(List.of(tuple("user:dan", "member", "team:engineering")))).get().getAllowed()).isTrue();
    }

    @Test
    void batchCheckAnswersEachCorrelationId() throws Exception {
        List<ClientBatchCheckSingleResponse> results = fga.batchCheck(new ClientBatchCheckRequest().checks(List.of(
                new ClientBatchCheckItem().user("user:bob").relation("viewer")._object("document:report").correlationId("bob"),
                new ClientBatchCheckItem().user("user:eve").relation("viewer")._object("document:report").correlationId("eve"),
                new ClientBatchCheckItem().user("user:alice").relation("owner")._object("document:report").correlationId("alice")))).get().getResult();
        Map<String, Boolean> byId = results.stream().collect(Collectors.toMap(ClientBatchCheckSingleResponse::getCorrelationId,
                ClientBatchCheckSingleResponse::isAllowed));
        assertThat(byId).containsExactlyInAnyOrderEntriesOf(Map.of("bob", true, "eve", false, "alice", true));
    }

    @Test
    void listsObjectsAndUsers() throws Exception {
        assertThat(fga.listObjects(new ClientListObjectsRequest().user("user:bob").relation("viewer").type("document")).get().getObjects())
                .containsExactly("document:report");
        var users = fga.listUsers(new ClientListUsersRequest()._object(new FgaObject().type("document").id("report")).relation("viewer")
                .userFilters(List.of(new UserTypeFilter().type("user")))).get().getUsers();
        assertThat(users.stream().map(u -> u.getObject().getType() + ":" + u.getObject().getId()).toList())
                .containsExactlyInAnyOrder("user:alice", "user:bob");
        var sets = fga.listUsers(new ClientListUsersRequest()._object(new FgaObject().type("document").id("report")).relation("viewer")
                .userFilters(List.of(new UserTypeFilter().type("team").relation("member")))).get().getUsers();
        assertThat(sets).singleElement().satisfies(u -> assertThat(u.getUserset().getId()).isEqualTo("engineering"));
    }

    @Test
    void readsTuplesModelsChangesAndExpands() throws Exception {
        assertThat(fga.readLatestAuthorizationModel().get().getAuthorizationModel().getId()).isEqualTo(modelId);
        var read = fga.read(new ClientReadRequest()._object("document:report")).get();
        assertThat(read.getTuples()).extracting(t -> t.getKey().getUser()).containsExactlyInAnyOrder("user:alice", "folder:designs");
        List<TupleChange> changes = fga.readChanges(new ClientReadChangesRequest().type("document")).get().getChanges();
        assertThat(changes).extracting(c -> c.getTupleKey().getObject()).contains("document:report", "document:memo");
        assertThat(changes).allSatisfy(c -> assertThat(c.getOperation()).isIn(TupleOperation.WRITE, TupleOperation.DELETE));
        var tree = fga.expand(new ClientExpandRequest().relation("viewer")._object("document:report")).get().getTree();
        assertThat(tree.getRoot().getName()).isEqualTo("document:report#viewer");
        assertThat(tree.getRoot().getUnion().getNodes()).hasSize(3);
    }

    @Test
    void writesAreTransactionalAndHonourConflictOptions() throws Exception {
        ClientWriteRequest again = new ClientWriteRequest().writes(List.of(tuple("user:alice", "owner", "document:report"),
                tuple("user:zed", "owner", "document:other")));
        assertThatThrownBy(() -> fga.write(again).get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FgaApiValidationError.class).hasMessageContaining("write");
        assertThat(fga.check(new ClientCheckRequest().user("user:zed").relation("owner")._object("document:other")).get().getAllowed()).isFalse();
        fga.write(again, new ClientWriteOptions().onDuplicate(WriteRequestWrites.OnDuplicateEnum.IGNORE)).get();
        assertThat(fga.check(new ClientCheckRequest().user("user:zed").relation("owner")._object("document:other")).get().getAllowed()).isTrue();
        ClientWriteRequest delete = new ClientWriteRequest().deletes(List.of(new ClientTupleKeyWithoutCondition().user("user:zed").relation("owner")
                ._object("document:other"), new ClientTupleKeyWithoutCondition().user("user:nobody").relation("owner")._object("document:other")));
        assertThatThrownBy(() -> fga.write(delete).get()).cause().isInstanceOf(FgaApiValidationError.class);
        fga.write(delete, new ClientWriteOptions().onMissing(WriteRequestDeletes.OnMissingEnum.IGNORE)).get();
        assertThat(fga.check(new ClientCheckRequest().user("user:zed").relation("owner")._object("document:other")).get().getAllowed()).isFalse();
    }
}
