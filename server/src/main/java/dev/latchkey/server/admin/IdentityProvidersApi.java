package dev.latchkey.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.IdentityProviders;
import dev.latchkey.core.identity.ProviderDefinition;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/v1/identity-providers}: list, read, create or replace ({@code PUT}) and delete the upstream providers
 * stored in the database (docs/identity-providers.md). Those of the configuration are listed with
 * {@code "source": "config"} and cannot be changed here. The client secret is write-only: never in an answer.
 * Authenticated by {@link AdminApi}'s before-handler on {@code /admin/v1/*}.
 */
public final class IdentityProvidersApi implements Endpoints {
    static final String BASE = AdminApi.BASE + "/identity-providers";

    private final IdentityProviders providers;
    private final JsonBodies bodies;
    private final JsonResponses responses;

    public IdentityProvidersApi(IdentityProviders providers, JsonBodies bodies) {
        this.providers = providers;
        this.bodies = bodies;
        this.responses = new JsonResponses(bodies.mapper());
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(BASE, ctx -> responses.write(ctx, 200, Map.of("identity_providers", providers.all().stream().map(this::render).toList())));
        r.get(BASE + "/{name}", ctx -> responses.write(ctx, 200, render(providers.find(ctx.pathParam("name"))
                .orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "There is no such identity provider.", "unknown provider")))));
        r.put(BASE + "/{name}", this::put);
        r.delete(BASE + "/{name}", ctx -> {
            providers.remove(ctx.pathParam("name"));
            ctx.status(204);
        });
    }

    void put(Context ctx) {
        String name = ctx.pathParam("name");
        boolean existed = providers.store().find(name).isPresent();
        Map<String, String> fields = fields(bodies.read(ctx, ObjectNode.class));
        IdentityProvider p = providers.put(name, fields::get);
        responses.write(ctx, existed ? 200 : 201, render(p));
    }

    /** The body's fields as text: strings, booleans and numbers as they are, arrays joined with commas. */
    static Map<String, String> fields(ObjectNode body) {
        Map<String, String> out = new HashMap<>();
        for (var e : body.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (!ProviderDefinition.known(k)) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Unknown field '" + k + "'.", "unknown provider field");
            }
            if (v.isNull()) {
                continue;
            }
            if (v.isArray()) {
                StringBuilder b = new StringBuilder();
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field '" + k + "' must be a list of strings.", "bad list");
                    }
                    b.append(b.isEmpty() ? "" : ",").append(item.asText());
                }
                out.put(k, b.toString());
            } else if (v.isValueNode()) {
                out.put(k, v.asText());
            } else {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field '" + k + "' has the wrong type.", "object field");
            }
            if (out.get(k).length() > 8192) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field '" + k + "' is too long.", "oversized field");
            }
        }
        return out;
    }

    Map<String, Object> render(IdentityProvider p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("source", providers.configured(p.name()) ? "config" : "api");
        m.put("type", p.type().wireName());
        m.put("preset", p.preset().wireName());
        m.put("label", p.label());
        m.put("enabled", p.enabled());
        p.endpoints().issuer().ifPresent(u -> m.put("issuer", u.toString()));
        p.endpoints().authorization().map(URI::toString).ifPresent(u -> m.put("authorization_endpoint", u));
        p.endpoints().token().map(URI::toString).ifPresent(u -> m.put("token_endpoint", u));
        p.endpoints().userinfo().map(URI::toString).ifPresent(u -> m.put("userinfo_endpoint", u));
        p.endpoints().emails().map(URI::toString).ifPresent(u -> m.put("emails_endpoint", u));
        m.put("client_id", p.clientId());
        m.put("client_secret_set", p.clientSecret() != null);
        m.put("scopes", p.scopes());
        m.put("claim_subject", p.claims().subject());
        m.put("claim_email", p.claims().email());
        m.put("claim_email_verified", p.claims().emailVerified());
        m.put("claim_name", p.claims().name());
        m.put("allowed_domains", List.copyOf(p.policy().allowedDomains()));
        m.put("may_create_users", p.policy().mayCreateUsers());
        m.put("trusted_emails", p.policy().trustedEmails());
        m.put("store_tokens", p.policy().storeTokens());
        m.put("trust_upstream_mfa", p.policy().trustUpstreamMfa());
        p.apple().ifPresent(a -> {
            m.put("apple_team_id", a.teamId());
            m.put("apple_key_id", a.keyId());
        });
        return m;
    }
}
