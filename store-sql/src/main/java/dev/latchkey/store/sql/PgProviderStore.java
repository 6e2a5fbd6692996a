package dev.latchkey.store.sql;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.AppleClientSecret;
import dev.latchkey.core.identity.ClaimMapping;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.Preset;
import dev.latchkey.core.identity.ProviderEndpoints;
import dev.latchkey.core.identity.ProviderPolicy;
import dev.latchkey.core.identity.ProviderStore;
import dev.latchkey.core.identity.ProviderType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Stored identity providers on PostgreSQL; the client secret sealed with the master key, bound to the provider's name. */
public final class PgProviderStore implements ProviderStore {
    private final Jdbc jdbc;
    private final MasterKey key;
    private final Clock clock;

    public PgProviderStore(Jdbc jdbc, MasterKey key, Clock clock) {
        this.jdbc = jdbc;
        this.key = key;
        this.clock = clock;
    }

    private static String context(String name) {
        return "idp-secret:" + name;
    }

    @Override
    public List<IdentityProvider> list() {
        return jdbc.query("SELECT * FROM identity_providers ORDER BY name", this::map);
    }

    @Override
    public Optional<IdentityProvider> find(String name) {
        return jdbc.queryOne("SELECT * FROM identity_providers WHERE name = ?", this::map, name);
    }

    @Override
    public void save(IdentityProvider p) {
        ProviderEndpoints e = p.endpoints();
        byte[] secret = p.clientSecret() == null ? null : key.seal(p.clientSecret().getBytes(StandardCharsets.UTF_8), context(p.name()));
        jdbc.update("""
                INSERT INTO identity_providers (name, type, preset, label, issuer, authorization_endpoint, token_endpoint, userinfo_endpoint,
                    emails_endpoint, client_id, client_secret, scopes, claim_subject, claim_email, claim_email_verified, claim_name,
                    allowed_domains, may_create_users, trusted_emails, store_tokens, trust_upstream_mfa, enabled, apple_team_id,
                    apple_key_id, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, preset = EXCLUDED.preset, label = EXCLUDED.label,
                    issuer = EXCLUDED.issuer, authorization_endpoint = EXCLUDED.authorization_endpoint,
                    token_endpoint = EXCLUDED.token_endpoint, userinfo_endpoint = EXCLUDED.userinfo_endpoint,
                    emails_endpoint = EXCLUDED.emails_endpoint, client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret,
                    scopes = EXCLUDED.scopes, claim_subject = EXCLUDED.claim_subject, claim_email = EXCLUDED.claim_email,
                    claim_email_verified = EXCLUDED.claim_email_verified, claim_name = EXCLUDED.claim_name,
                    allowed_domains = EXCLUDED.allowed_domains, may_create_users = EXCLUDED.may_create_users,
                    trusted_emails = EXCLUDED.trusted_emails, store_tokens = EXCLUDED.store_tokens,
                    trust_upstream_mfa = EXCLUDED.trust_upstream_mfa, enabled = EXCLUDED.enabled,
                    apple_team_id = EXCLUDED.apple_team_id, apple_key_id = EXCLUDED.apple_key_id, updated_at = EXCLUDED.updated_at""",
                p.name(), p.type(), p.preset(), p.label(), str(e.issuer()), str(e.authorization()), str(e.token()), str(e.userinfo()),
                str(e.emails()), p.clientId(), secret, String.join(" ", p.scopes()), p.claims().subject(), p.claims().email(),
                p.claims().emailVerified(), p.claims().name(), String.join(",", p.policy().allowedDomains()), p.policy().mayCreateUsers(),
                p.policy().trustedEmails(), p.policy().storeTokens(), p.policy().trustUpstreamMfa(), p.enabled(),
                p.apple().map(AppleClientSecret.Signer::teamId).orElse(null), p.apple().map(AppleClientSecret.Signer::keyId).orElse(null),
                clock.instant());
    }

    @Override
    public boolean delete(String name) {
        return jdbc.update("DELETE FROM identity_providers WHERE name = ?", name) == 1;
    }

    private IdentityProvider map(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        byte[] sealed = rs.getBytes("client_secret");
        String team = rs.getString("apple_team_id");
        return new IdentityProvider(name, ProviderType.parse(rs.getString("type")), Preset.parse(rs.getString("preset")), rs.getString("label"),
                new ProviderEndpoints(uri(rs, "issuer"), uri(rs, "authorization_endpoint"), uri(rs, "token_endpoint"),
                        uri(rs, "userinfo_endpoint"), uri(rs, "emails_endpoint")),
                rs.getString("client_id"), sealed == null ? null : new String(key.open(sealed, context(name)), StandardCharsets.UTF_8),
                split(rs.getString("scopes"), " "),
                new ClaimMapping(rs.getString("claim_subject"), rs.getString("claim_email"), rs.getString("claim_email_verified"),
                        rs.getString("claim_name")),
                new ProviderPolicy(rs.getBoolean("may_create_users"), rs.getBoolean("trusted_emails"), split(rs.getString("allowed_domains"), ","),
                        rs.getBoolean("store_tokens"), rs.getBoolean("trust_upstream_mfa")),
                rs.getBoolean("enabled"),
                team == null ? Optional.empty() : Optional.of(new AppleClientSecret.Signer(team, rs.getString("apple_key_id"))));
    }

    private static String str(Optional<URI> u) {
        return u.map(URI::toString).orElse(null);
    }

    private static Optional<URI> uri(ResultSet rs, String column) throws SQLException {
        String v = rs.getString(column);
        return v == null ? Optional.empty() : Optional.of(URI.create(v));
    }

    private static List<String> split(String v, String sep) {
        return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(sep)).filter(s -> !s.isBlank()).toList();
    }
}
