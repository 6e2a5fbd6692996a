package dev.latchkey.core.oauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.token.TokenPrincipal;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registers and updates OAuth clients, validating every field and reporting all problems at once.
 * A confidential client's secret is generated here (256 random bits), returned once and stored
 * only as its hash. A client id never has the form of a user id ({@link TokenPrincipal#looksLikeUserId}):
 * its client-credentials tokens carry it as {@code sub}, where a user's would carry their UUID.
 */
public final class ClientRegistry {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

    private final ClientStore store;
    private final Clock clock;

    public ClientRegistry(ClientStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A client and, for a new or rotated secret, the secret in clear (shown once). */
    public record Registered(Client client, String secret) {
        @Override
        public String toString() {
            return "Registered[" + client.clientId() + "]";
        }
    }

    public Registered register(ClientRegistration r) {
        String id = r.clientId() == null || r.clientId().isBlank() ? generatedId() : r.clientId();
        Instant now = clock.instant();
        String secret = null;
        ClientAuthMethod method = authMethod(r);
        if (method != null && method.usesSecret()) {
            secret = RandomTokens.token();
        }
        Client c = validate(r, id, secret == null ? null : Digests.sha256(secret), now, now, null);
        if (!store.create(c)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A client with id '" + id + "' already exists.", "duplicate client");
        }
        return new Registered(c, secret);
    }

    /** Replaces the registration of an existing client; the secret stays unless the method changes to one needing a new one. */
    public Registered update(String clientId, ClientRegistration r) {
        Client old = find(clientId).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "no client " + clientId));
        ClientAuthMethod method = authMethod(r);
        String secret = null;
        byte[] hash = old.secretHash();
        if (method != null && method.usesSecret() && hash == null) {
            secret = RandomTokens.token();
            hash = Digests.sha256(secret);
        } else if (method != null && !method.usesSecret()) {
            hash = null;
        }
        Client c = validate(r, clientId, hash, old.createdAt(), clock.instant(), old);
        if (!store.update(c)) {
            throw LatchkeyException.of(ErrorCode.NOT_FOUND, "client vanished during update");
        }
        return new Registered(c, secret);
    }

    public Registered rotateSecret(String clientId) {
        Client old = find(clientId).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "no client " + clientId));
        if (!old.authMethod().usesSecret()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "This client does not use a secret.", "rotate secret of " + clientId);
        }
        if (TokenPrincipal.looksLikeUserId(old.clientId())) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "This client's id looks like a user id; register it again under "
                    + "another id (its old registration can only be deleted).", "rotate secret of uuid-shaped client " + clientId);
        }
        String secret = RandomTokens.token();
        Client c = new Client(old.clientId(), old.name(), old.authMethod(), Digests.sha256(secret), old.redirectUris(),
                old.postLogoutRedirectUris(), old.grantTypes(), old.scopes(), old.audiences(), old.firstParty(), old.requirePar(),
                old.jwks(), old.jwtTypedAccessTokens(), old.idTokenSignedResponseAlg(), old.applicationType(), old.createdAt(), clock.instant());
        store.update(c);
        return new Registered(c, secret);
    }

    public Optional<Client> find(String clientId) {
        return clientId == null ? Optional.empty() : store.find(clientId);
    }

    public List<Client> list() {
        return store.list();
    }

    public boolean delete(String clientId) {
        return store.delete(clientId);
    }

    /** A random id (22 base64url characters), never one of the rare draws that would look like a user id. */
    private static String generatedId() {
        String id;
        do {
            id = RandomTokens.token(16);
        } while (TokenPrincipal.looksLikeUserId(id) || TokenPrincipal.looksLikeServiceAccountId(id));
        return id;
    }

    private static ClientAuthMethod authMethod(ClientRegistration r) {
        return r.authMethod() == null ? ClientAuthMethod.CLIENT_SECRET_BASIC : ClientAuthMethod.fromWire(r.authMethod()).orElse(null);
    }

    /** @param old the current registration on update (its newer fields stay when the request leaves them out), null on create */
    private static Client validate(ClientRegistration r, String id, byte[] secretHash, Instant created, Instant now, Client old) {
        List<String> problems = new ArrayList<>();
        if (!CLIENT_ID.matcher(id).matches()) {
            problems.add("client_id may only contain letters, digits and ._~- (at most 128)");
        } else if (TokenPrincipal.looksLikeUserId(id)) {
            problems.add("client_id must not look like a UUID: that is the form of user ids, and a client's tokens carry its id as sub"
                    + (old == null ? "" : " (register this client again under another id)"));
        } else if (old == null && TokenPrincipal.looksLikeServiceAccountId(id)) {
            problems.add("client_id must not start with sa_: that is the form of service account subjects");
        }
        String name = r.name() == null || r.name().isBlank() ? id : r.name().strip();
        if (name.length() > 200) {
            problems.add("client_name is longer than 200 characters");
        }
        ClientAuthMethod method = authMethod(r);
        if (method == null) {
            problems.add("token_endpoint_auth_method must be client_secret_basic, client_secret_post, private_key_jwt or none");
        }
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        List<String> grantNames = r.grantTypes() == null ? List.of("authorization_code", "refresh_token") : r.grantTypes();
        for (String g : grantNames) {
            GrantType.fromWire(g).ifPresentOrElse(grants::add,
                    () -> problems.add("grant_types: '" + g + "' is not supported (authorization_code, refresh_token, client_credentials, "
                            + GrantType.TOKEN_EXCHANGE.wireName() + ")"));
        }
        if (grants.isEmpty()) {
            problems.add("grant_types must not be empty");
        }
        if (method == ClientAuthMethod.NONE && grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            problems.add("a public client (auth method none) cannot use client_credentials");
        }
        if (method == ClientAuthMethod.NONE && grants.contains(GrantType.TOKEN_EXCHANGE)) {
            problems.add("a public client (auth method none) cannot use token exchange: API keys are exchanged by authenticated clients");
        }
        List<String> redirects = r.redirectUris() == null ? List.of() : r.redirectUris();
        for (String u : redirects) {
            String p = RedirectUris.problem(u);
            if (p != null) {
                problems.add("redirect_uris: '" + u + "' " + p);
            }
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirects.isEmpty()) {
            problems.add("redirect_uris: at least one is required for the authorization_code grant");
        }
        List<String> postLogout = r.postLogoutRedirectUris() == null ? List.of() : r.postLogoutRedirectUris();
        for (String u : postLogout) {
            String p = RedirectUris.problem(u);
            if (p != null) {
                problems.add("post_logout_redirect_uris: '" + u + "' " + p);
            }
        }
        Set<String> scopes = Scopes.parse(r.scope() == null ? "openid profile email" : r.scope());
        if (scopes == null) {
            problems.add("scope: invalid characters");
            scopes = Set.of();
        }
        List<String> audiences = r.audiences() == null ? List.of() : r.audiences();
        for (String a : audiences) {
            if (a == null || a.isBlank() || a.length() > 512) {
                problems.add("audiences: empty or too long entry");
            }
        }
        String jwks = r.jwks();
        if (method == ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (jwks == null || jwks.isBlank()) {
                problems.add("jwks: required for private_key_jwt");
            } else {
                try {
                    JWKSet set = JWKSet.parse(jwks);
                    if (set.getKeys().isEmpty()) {
                        problems.add("jwks: no keys");
                    }
                    for (JWK k : set.getKeys()) {
                        if (k.isPrivate()) {
                            problems.add("jwks: contains a private key; register public keys only");
                        }
                    }
                    jwks = new JWKSet(set.getKeys()).toString(true);
                } catch (ParseException e) {
                    problems.add("jwks: not a JWK Set (" + e.getMessage() + ")");
                }
            }
        } else if (jwks != null) {
            problems.add("jwks: only for private_key_jwt clients");
        }
        String typ = r.accessTokenType() == null ? "at+jwt" : r.accessTokenType();
        if (!typ.equals("at+jwt") && !typ.equals("jwt")) {
            problems.add("access_token_type must be at+jwt (RFC 9068, the default) or jwt");
        }
        SigningAlgorithm idTokenAlg = r.idTokenSignedResponseAlg() == null
                ? old == null ? SigningAlgorithm.RS256 : old.idTokenSignedResponseAlg()
                : SigningAlgorithm.fromWire(r.idTokenSignedResponseAlg()).orElse(null);
        if (idTokenAlg == null) {
            problems.add("id_token_signed_response_alg must be RS256 (the default) or ES256");
        }
        ApplicationType appType = r.applicationType() == null
                ? old == null ? ApplicationType.WEB : old.applicationType()
                : ApplicationType.fromWire(r.applicationType()).orElse(null);
        if (appType == null) {
            problems.add("application_type must be web (the default) or native");
        }
        if (!problems.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, String.join("; ", problems), "client registration");
        }
        return new Client(id, name, method, method.usesSecret() ? secretHash : null, List.copyOf(new LinkedHashSet<>(redirects)),
                List.copyOf(new LinkedHashSet<>(postLogout)), grants, scopes, audiences, Boolean.TRUE.equals(r.firstParty()),
                Boolean.TRUE.equals(r.requirePar()), method == ClientAuthMethod.PRIVATE_KEY_JWT ? jwks : null, typ.equals("jwt"), idTokenAlg,
                appType, created, now);
    }
}
