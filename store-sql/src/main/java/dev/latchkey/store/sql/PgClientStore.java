package dev.latchkey.store.sql;

import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.oauth.ApplicationType;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.ClientStore;
import dev.latchkey.core.oauth.GrantType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** OAuth clients on PostgreSQL. */
public final class PgClientStore implements ClientStore {
    private final Jdbc jdbc;

    public PgClientStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean create(Client c) {
        return jdbc.withConnection(conn -> Jdbc.update(conn, """
                INSERT INTO oauth_clients (client_id, client_name, auth_method, secret_hash, redirect_uris, post_logout_redirect_uris,
                    grant_types, scopes, audiences, first_party, require_par, jwks, access_token_type, id_token_signed_response_alg,
                    application_type, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING""",
                params(conn, c, true)) == 1);
    }

    @Override
    public Optional<Client> find(String clientId) {
        return jdbc.queryOne("SELECT * FROM oauth_clients WHERE client_id = ?", PgClientStore::map, clientId);
    }

    @Override
    public List<Client> list() {
        return jdbc.query("SELECT * FROM oauth_clients ORDER BY client_id", PgClientStore::map);
    }

    @Override
    public boolean update(Client c) {
        return jdbc.withConnection(conn -> Jdbc.update(conn, """
                UPDATE oauth_clients SET client_name = ?, auth_method = ?, secret_hash = ?, redirect_uris = ?,
                    post_logout_redirect_uris = ?, grant_types = ?, scopes = ?, audiences = ?, first_party = ?, require_par = ?,
                    jwks = ?, access_token_type = ?, id_token_signed_response_alg = ?, application_type = ?, updated_at = ?
                WHERE client_id = ?""", params(conn, c, false)) == 1);
    }

    @Override
    public boolean delete(String clientId) {
        return jdbc.update("DELETE FROM oauth_clients WHERE client_id = ?", clientId) == 1;
    }

    private static Object[] params(Connection conn, Client c, boolean insert) throws SQLException {
        Array redirects = conn.createArrayOf("text", c.redirectUris().toArray());
        Array postLogout = conn.createArrayOf("text", c.postLogoutRedirectUris().toArray());
        Array grants = conn.createArrayOf("text", c.grantTypes().stream().map(GrantType::wireName).sorted().toArray());
        Array scopes = conn.createArrayOf("text", c.scopes().toArray());
        Array audiences = conn.createArrayOf("text", c.audiences().toArray());
        if (insert) {
            return new Object[] {c.clientId(), c.name(), c.authMethod().wireName(), c.secretHash(), redirects, postLogout, grants, scopes,
                audiences, c.firstParty(), c.requirePar(), c.jwks(), typ(c), c.idTokenSignedResponseAlg().wireName(),
                c.applicationType().wireName(), c.createdAt(), c.updatedAt()};
        }
        return new Object[] {c.name(), c.authMethod().wireName(), c.secretHash(), redirects, postLogout, grants, scopes, audiences,
            c.firstParty(), c.requirePar(), c.jwks(), typ(c), c.idTokenSignedResponseAlg().wireName(), c.applicationType().wireName(),
            c.updatedAt(), c.clientId()};
    }

    private static String typ(Client c) {
        return c.jwtTypedAccessTokens() ? "jwt" : "at+jwt";
    }

    static Client map(ResultSet rs) throws SQLException {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : strings(rs, "grant_types")) {
            grants.add(GrantType.fromWire(g).orElseThrow(() -> new IllegalStateException("unknown grant type " + g)));
        }
        return new Client(rs.getString("client_id"), rs.getString("client_name"),
                ClientAuthMethod.valueOf(rs.getString("auth_method").toUpperCase(Locale.ROOT)), rs.getBytes("secret_hash"),
                strings(rs, "redirect_uris"), strings(rs, "post_logout_redirect_uris"), grants,
                new LinkedHashSet<>(strings(rs, "scopes")), strings(rs, "audiences"), rs.getBoolean("first_party"),
                rs.getBoolean("require_par"), rs.getString("jwks"), "jwt".equals(rs.getString("access_token_type")),
                SigningAlgorithm.fromWire(rs.getString("id_token_signed_response_alg")).orElseThrow(),
                ApplicationType.fromWire(rs.getString("application_type")).orElseThrow(),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
