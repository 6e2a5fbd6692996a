// Latchkey's OpenID Connect provider driven by oauth4webapi, a deliberately strict relying party,
// against a running server. Oauth4webapiTest (JUnit) starts the server, registers the clients and
// a user, and passes them in:
//   LATCHKEY_ISSUER                       e.g. http://localhost:8080
//   LATCHKEY_RP_CLIENT_ID / _SECRET       confidential, first-party, client_secret_basic, code + refresh
//   LATCHKEY_RP_REDIRECT_URI              its redirect URI
//   LATCHKEY_RP_POST_LOGOUT_URI           its post-logout redirect URI
//   LATCHKEY_ES_CLIENT_ID / _SECRET       like the RP (same redirect URIs), registered with id_token_signed_response_alg ES256
//   LATCHKEY_SPA_CLIENT_ID                public (auth method none), third-party: consent is asked
//   LATCHKEY_SPA_REDIRECT_URI
//   LATCHKEY_RS_CLIENT_ID / _SECRET       confidential resource server, client_secret_post, client_credentials
//   LATCHKEY_RS_AUDIENCE                  the audience of its client-credentials tokens
//   LATCHKEY_PKJWT_CLIENT_ID              confidential, private_key_jwt, client_credentials (same audience)
//   LATCHKEY_PKJWT_PRIVATE_JWK            its private key (an ES256 JWK with kid), whose public half is registered
//   LATCHKEY_USER_EMAIL / _PASSWORD       a user who can sign in
// Run: node --test --test-reporter=spec rp.test.mjs
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import * as jose from 'jose';
import { Browser } from './browser.mjs';

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (see the top of rp.test.mjs)`);
  return v;
}

const issuer = new URL(env('LATCHKEY_ISSUER'));
const user = { email: env('LATCHKEY_USER_EMAIL'), password: env('LATCHKEY_USER_PASSWORD') };
const rp = { client_id: env('LATCHKEY_RP_CLIENT_ID') };
const rpAuth = oauth.ClientSecretBasic(env('LATCHKEY_RP_CLIENT_SECRET'));
const rpRedirect = env('LATCHKEY_RP_REDIRECT_URI');
const rpPostLogout = env('LATCHKEY_RP_POST_LOGOUT_URI');
const es = { client_id: env('LATCHKEY_ES_CLIENT_ID'), id_token_signed_response_alg: 'ES256' };
const esAuth = oauth.ClientSecretBasic(env('LATCHKEY_ES_CLIENT_SECRET'));
const spa = { client_id: env('LATCHKEY_SPA_CLIENT_ID') };
const spaRedirect = env('LATCHKEY_SPA_REDIRECT_URI');
const rs = { client_id: env('LATCHKEY_RS_CLIENT_ID') };
const rsAuth = oauth.ClientSecretPost(env('LATCHKEY_RS_CLIENT_SECRET'));
const rsAudience = env('LATCHKEY_RS_AUDIENCE');
const pkjwt = { client_id: env('LATCHKEY_PKJWT_CLIENT_ID') };
const pkjwtKey = JSON.parse(env('LATCHKEY_PKJWT_PRIVATE_JWK'));
// The test server speaks plain http on localhost; everything else is oauth4webapi's defaults.
const http = { [oauth.allowInsecureRequests]: true };

/** @type {oauth.AuthorizationServer} */
let as;
let jwks;

before(async () => {
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...http }));
  jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri));
});

/**
 * Authorization code + PKCE (S256) with state and nonce, through the hosted pages; returns the
 * validated callback parameters and what the code exchange needs.
 */
async function authorize(browser, client, redirectUri, { scope = 'openid profile email offline_access', prompt, decision } = {}) {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (prompt) url.searchParams.set('prompt', prompt);
  const callback = await browser.navigate(url, redirectUri, { decision });
  // checks state and, since discovery announces authorization_response_iss_parameter_supported, iss (RFC 9207)
  const params = oauth.validateAuthResponse(as, client, callback, state);
  return { params, codeVerifier, nonce, callback };
}

/**
 * A complete sign-in of a confidential RP (the one registered without id_token_signed_response_alg unless told):
 * code exchange with ID-token validation (alg, nonce, iss, aud, exp, iat, azp).
 */
async function signIn(browser = new Browser(issuer, user), client = rp, auth = rpAuth) {
  const { params, codeVerifier, nonce } = await authorize(browser, client, rpRedirect);
  const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, rpRedirect, codeVerifier, http);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: nonce, requireIdToken: true });
  return { browser, tokens, claims: oauth.getValidatedIdTokenClaims(tokens) };
}

async function introspect(token) {
  return oauth.processIntrospectionResponse(as, rs, await oauth.introspectionRequest(as, rs, rsAuth, token, http));
}

function isOAuthError(code) {
  return (e) => {
    assert.ok(e instanceof oauth.ResponseBodyError, `expected an OAuth error response, got ${e}`);
    assert.equal(e.error, code);
    return true;
  };
}

function atHash(accessToken) {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

describe('discovery', () => {
  test('the metadata is accepted and describes a code-flow-only, PKCE-S256 provider', () => {
    assert.equal(new URL(as.issuer).href, issuer.href);
    assert.deepEqual(as.response_types_supported, ['code']);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    for (const e of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'revocation_endpoint',
      'introspection_endpoint', 'end_session_endpoint', 'pushed_authorization_request_endpoint']) {
      assert.ok(as[e]?.startsWith(as.issuer + '/'), `${e} lives under the issuer`);
    }
  });
});

describe('authorization code + PKCE for a confidential client', () => {
  test('signs in on the hosted page; the ID token and access token verify', async () => {
    const { browser, tokens, claims } = await signIn();
    assert.deepEqual(browser.pages, ['login'], 'a first-party client is not asked for consent');
    assert.equal(claims.iss, as.issuer);
    assert.equal(claims.aud, rp.client_id);
    assert.equal(claims.email, user.email);
    assert.equal(typeof claims.auth_time, 'number');
    assert.ok(claims.sid);
    assert.equal(claims.at_hash, atHash(tokens.access_token));
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.expires_in > 0);
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    // oauth4webapi checks the ID token's claims; the signature is checked here, against the published JWKS
    // registered without id_token_signed_response_alg: RS256 (OIDC Dynamic Client Registration §2)
    const id = await jose.jwtVerify(tokens.id_token, jwks, { issuer: as.issuer, audience: rp.client_id, algorithms: ['RS256'] });
    assert.equal(id.protectedHeader.alg, 'RS256');
    assert.equal(id.payload.sub, claims.sub);
    // the access token is an RFC 9068 JWT a resource server can verify on its own
    const at = await jose.jwtVerify(tokens.access_token, jwks, { issuer: as.issuer, typ: 'at+jwt', algorithms: ['ES256'] });
    assert.equal(at.payload.sub, claims.sub);
    assert.equal(at.payload.client_id, rp.client_id);
    assert.deepEqual(at.payload.scope.split(' ').sort(), ['email', 'offline_access', 'openid', 'profile']);
  });

  test('a code is single-use', async () => {
    const browser = new Browser(issuer, user);
    const { params, codeVerifier, nonce } = await authorize(browser, rp, rpRedirect);
    const first = await oauth.authorizationCodeGrantRequest(as, rp, rpAuth, params, rpRedirect, codeVerifier, http);
    await oauth.processAuthorizationCodeResponse(as, rp, first, { expectedNonce: nonce, requireIdToken: true });
    const again = await oauth.authorizationCodeGrantRequest(as, rp, rpAuth, params, rpRedirect, codeVerifier, http);
    await assert.rejects(oauth.processAuthorizationCodeResponse(as, rp, again, { expectedNonce: nonce }), isOAuthError('invalid_grant'));
  });

  test('refresh rotates; userinfo, introspection and revocation follow the grant', async () => {
    const { tokens, claims } = await signIn();
    const r1 = await oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, tokens.refresh_token, http));
    assert.ok(r1.refresh_token);
    assert.notEqual(r1.refresh_token, tokens.refresh_token, 'a refresh token is used once');
    const r2 = await oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, r1.refresh_token, http));
    assert.notEqual(r2.refresh_token, r1.refresh_token);

    const info = await oauth.processUserInfoResponse(as, rp, claims.sub, await oauth.userInfoRequest(as, rp, r2.access_token, http));
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, user.email);
    assert.equal(info.email_verified, false);
    // the subject check is real: another expected subject is refused
    await assert.rejects(oauth.processUserInfoResponse(as, rp, 'someone-else',
      await oauth.userInfoRequest(as, rp, r2.access_token, http)), /"sub"/);

    const active = await introspect(r2.access_token);
    assert.equal(active.active, true);
    assert.equal(active.sub, claims.sub);
    assert.equal(active.client_id, rp.client_id);
    assert.equal(active.username, user.email);
    assert.equal(active.token_type, 'Bearer');
    // a refresh token is described only to its own client (RFC 7662 §2.2): the resource server sees it inactive
    assert.equal((await introspect(r2.refresh_token)).active, false);
    const own = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, rpAuth, r2.refresh_token, http));
    assert.equal(own.active, true);
    assert.equal(own.client_id, rp.client_id);

    // revoking the refresh token ends the grant: its access token and refresh token die with it
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, rp, rpAuth, r2.refresh_token,
      { ...http, additionalParameters: { token_type_hint: 'refresh_token' } }));
    assert.equal((await introspect(r2.access_token)).active, false);
    assert.equal((await introspect(r2.refresh_token)).active, false);
    await assert.rejects(oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, r2.refresh_token, http)), isOAuthError('invalid_grant'));
    await assert.rejects(oauth.processUserInfoResponse(as, rp, claims.sub, await oauth.userInfoRequest(as, rp, r2.access_token, http)),
      (e) => e instanceof oauth.WWWAuthenticateChallengeError && e.cause[0].scheme === 'bearer'
        && e.cause[0].parameters.error === 'invalid_token');
    // revoking an unknown token is not an error (RFC 7009 §2.2)
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, rp, rpAuth, 'not-a-token', http));
  });

  test('an older refresh token replaced moments ago is refused with invalid_grant, and the grant lives on', async () => {
    // a late duplicate, not theft: inside the grace window nothing is revoked (a replay after it is, see LateRefreshTest)
    const { tokens } = await signIn();
    const r1 = await oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, tokens.refresh_token, http));
    const r2 = await oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, r1.refresh_token, http));
    await assert.rejects(oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, tokens.refresh_token, http)), (e) => {
      isOAuthError('invalid_grant')(e);
      assert.match(e.error_description, /replaced by a newer one/);
      return true;
    });
    assert.equal((await introspect(r2.access_token)).active, true);
    const r3 = await oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, r2.refresh_token, http));
    assert.notEqual(r3.refresh_token, r2.refresh_token);
  });
});

describe('ID token signing algorithms', () => {
  test('discovery offers RS256 (OIDC Discovery §3) and ES256; an RP assuming RS256 for an unregistered alg is right', async () => {
    assert.ok(as.id_token_signing_alg_values_supported.includes('RS256'));
    assert.ok(as.id_token_signing_alg_values_supported.includes('ES256'));
    // oauth4webapi holds the ID token to the client's id_token_signed_response_alg when it is set
    const { tokens } = await signIn(undefined, { ...rp, id_token_signed_response_alg: 'RS256' });
    assert.equal(jose.decodeProtectedHeader(tokens.id_token).alg, 'RS256');
    assert.equal(jose.decodeProtectedHeader(tokens.access_token).alg, 'ES256');
    const info = await introspect(tokens.access_token);
    assert.equal(info.sub_type, 'user');
  });

  test('a client registered for ES256 gets ES256 ID tokens, and they work as id_token_hint', async () => {
    const { browser, tokens, claims } = await signIn(undefined, es, esAuth);
    assert.equal(jose.decodeProtectedHeader(tokens.id_token).alg, 'ES256');
    assert.equal(claims.aud, es.client_id);
    await jose.jwtVerify(tokens.id_token, jwks, { issuer: as.issuer, audience: es.client_id, algorithms: ['ES256'] });
    // an RP expecting RS256 for this client refuses the ES256 ID token
    const again = await authorize(browser, es, rpRedirect);
    const res = await oauth.authorizationCodeGrantRequest(as, es, esAuth, again.params, rpRedirect, again.codeVerifier, http);
    await assert.rejects(oauth.processAuthorizationCodeResponse(as, { ...es, id_token_signed_response_alg: 'RS256' }, res,
      { expectedNonce: again.nonce, requireIdToken: true }));
    const end = new URL(as.end_session_endpoint);
    end.searchParams.set('id_token_hint', tokens.id_token);
    end.searchParams.set('post_logout_redirect_uri', rpPostLogout);
    end.searchParams.set('state', 'bye-es');
    const landing = await browser.navigate(end, rpPostLogout);
    assert.equal(landing.searchParams.get('state'), 'bye-es');
  });
});

describe('a public third-party client', () => {
  test('consent is asked once, then the code is exchanged with PKCE alone', async () => {
    const browser = new Browser(issuer, user);
    const first = await authorize(browser, spa, spaRedirect, { scope: 'openid email' });
    assert.deepEqual(browser.pages, ['login', 'consent']);
    const tokens = await oauth.processAuthorizationCodeResponse(as, spa,
      await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), first.params, spaRedirect, first.codeVerifier, http),
      { expectedNonce: first.nonce, requireIdToken: true });
    assert.equal(oauth.getValidatedIdTokenClaims(tokens).email, user.email);
    assert.equal(tokens.refresh_token, undefined, 'no offline_access asked, no refresh token');

    const second = await authorize(browser, spa, spaRedirect, { scope: 'openid email' });
    assert.deepEqual(browser.pages, ['login', 'consent'], 'neither sign-in nor consent the second time');
    // a PKCE verifier that does not match the challenge is refused
    await assert.rejects(oauth.processAuthorizationCodeResponse(as, spa,
      await oauth.authorizationCodeGrantRequest(as, spa, oauth.None(), second.params, spaRedirect, oauth.generateRandomCodeVerifier(), http),
      { expectedNonce: second.nonce }), isOAuthError('invalid_grant'));
  });

  test('a denial comes back as access_denied, with iss', async () => {
    const browser = new Browser(issuer, user);
    await assert.rejects(authorize(browser, spa, spaRedirect, { scope: 'openid profile', decision: 'deny' }),
      (e) => e instanceof oauth.AuthorizationResponseError && e.error === 'access_denied');
    assert.deepEqual(browser.pages, ['login', 'consent']);
  });
});

describe('pushed authorization requests', () => {
  test('the pushed request_uri starts the flow', async () => {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const pushed = await oauth.processPushedAuthorizationResponse(as, rp, await oauth.pushedAuthorizationRequest(as, rp, rpAuth, {
      redirect_uri: rpRedirect, response_type: 'code', scope: 'openid', state, nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    }, http));
    assert.ok(pushed.expires_in > 0);
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set('client_id', rp.client_id);
    url.searchParams.set('request_uri', pushed.request_uri);
    const callback = await new Browser(issuer, user).navigate(url, rpRedirect);
    const params = oauth.validateAuthResponse(as, rp, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
      await oauth.authorizationCodeGrantRequest(as, rp, rpAuth, params, rpRedirect, codeVerifier, http), { expectedNonce: nonce });
    assert.ok(oauth.getValidatedIdTokenClaims(tokens).sub);
  });
});

describe('max_age', () => {
  test('the ID token carries an auth_time within max_age', async () => {
    const browser = new Browser(issuer, user);
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint);
    for (const [k, v] of Object.entries({
      client_id: rp.client_id, redirect_uri: rpRedirect, response_type: 'code', scope: 'openid', state, max_age: '300',
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    })) url.searchParams.set(k, v);
    const params = oauth.validateAuthResponse(as, rp, await browser.navigate(url, rpRedirect), state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
      await oauth.authorizationCodeGrantRequest(as, rp, rpAuth, params, rpRedirect, codeVerifier, http),
      { maxAge: 300, expectedNonce: oauth.expectNoNonce });
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.ok(Math.abs(Date.now() / 1000 - claims.auth_time) < 60);
    assert.equal(claims.nonce, undefined, 'no nonce asked, none in the ID token');
  });
});

describe('client credentials', () => {
  test('a service gets a token for its audience and scopes', async () => {
    const t = await oauth.processClientCredentialsResponse(as, rs,
      await oauth.clientCredentialsGrantRequest(as, rs, rsAuth, { scope: 'notes:read' }, http));
    assert.equal(t.token_type, 'bearer');
    assert.equal(t.scope, 'notes:read');
    assert.equal(t.refresh_token, undefined);
    const at = await jose.jwtVerify(t.access_token, jwks, { issuer: as.issuer, audience: rsAudience, typ: 'at+jwt' });
    // a machine token says so in its claims: sub is the client (RFC 9068 §2.2), sub_type client, no session
    assert.equal(at.payload.sub, rs.client_id);
    assert.equal(at.payload.client_id, rs.client_id);
    assert.equal(at.payload.sub_type, 'client');
    assert.equal(at.payload.sid, undefined);
    const info = await introspect(t.access_token);
    assert.equal(info.active, true);
    assert.equal(info.sub_type, 'client');
    assert.equal(info.username, undefined);
  });

  test('a wider scope and a wrong secret are refused', async () => {
    await assert.rejects(oauth.processClientCredentialsResponse(as, rs,
      await oauth.clientCredentialsGrantRequest(as, rs, rsAuth, { scope: 'admin' }, http)), isOAuthError('invalid_scope'));
    await assert.rejects(oauth.processClientCredentialsResponse(as, rs,
      await oauth.clientCredentialsGrantRequest(as, rs, oauth.ClientSecretPost('wrong'), {}, http)),
    (e) => isOAuthError('invalid_client')(e) && e.status === 401);
  });
});

describe('private_key_jwt', () => {
  test('a client signing its own assertions gets tokens and may introspect', async () => {
    const key = await crypto.subtle.importKey('jwk', pkjwtKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const auth = oauth.PrivateKeyJwt({ key, kid: pkjwtKey.kid });
    const t = await oauth.processClientCredentialsResponse(as, pkjwt,
      await oauth.clientCredentialsGrantRequest(as, pkjwt, auth, { scope: 'notes:read' }, http));
    const at = await jose.jwtVerify(t.access_token, jwks, { issuer: as.issuer, audience: rsAudience, typ: 'at+jwt' });
    assert.equal(at.payload.client_id, pkjwt.client_id);
    const info = await oauth.processIntrospectionResponse(as, pkjwt,
      await oauth.introspectionRequest(as, pkjwt, auth, t.access_token, http));
    assert.equal(info.active, true);
    assert.equal(info.client_id, pkjwt.client_id);
  });
});

describe('RP-initiated logout', () => {
  test('returns to the registered URI with state, and the session is over', async () => {
    const { browser, tokens } = await signIn();
    const end = new URL(as.end_session_endpoint);
    end.searchParams.set('id_token_hint', tokens.id_token);
    end.searchParams.set('client_id', rp.client_id);
    end.searchParams.set('post_logout_redirect_uri', rpPostLogout);
    end.searchParams.set('state', 'bye-1');
    const landing = await browser.navigate(end, rpPostLogout);
    assert.equal(landing.origin + landing.pathname, new URL(rpPostLogout).origin + new URL(rpPostLogout).pathname);
    assert.equal(landing.searchParams.get('state'), 'bye-1');

    // the browser's session is gone: a silent request answers login_required (with iss)
    await assert.rejects(authorize(browser, rp, rpRedirect, { prompt: 'none' }),
      (e) => e instanceof oauth.AuthorizationResponseError && e.error === 'login_required');
    // and so is the grant started from it
    await assert.rejects(oauth.processRefreshTokenResponse(as, rp,
      await oauth.refreshTokenGrantRequest(as, rp, rpAuth, tokens.refresh_token, http)), isOAuthError('invalid_grant'));
    assert.equal((await introspect(tokens.access_token)).active, false);
  });
});
