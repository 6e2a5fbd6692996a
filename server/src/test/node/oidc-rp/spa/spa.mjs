// A single-page application (a public client: no secret, PKCE only) signing in with oauth4webapi
// in the browser: its own origin is not Latchkey's, so every call below is a cross-origin fetch
// that only works if the provider answers CORS as a browser requires. The host page serves
// /config.json with { issuer, client_id, redirect_uri }.
import * as oauth from 'oauth4webapi';

const http = { [oauth.allowInsecureRequests]: true }; // the test server is http://localhost

function show(id, text) {
  document.getElementById(id).textContent = text;
}

async function main() {
  const config = await (await fetch('/config.json')).json();
  const issuer = new URL(config.issuer);
  const client = { client_id: config.client_id };
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...http }));
  const here = new URL(location.href);

  if (here.pathname !== new URL(config.redirect_uri).pathname) {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    sessionStorage.setItem('login', JSON.stringify({ codeVerifier, state, nonce }));
    const url = new URL(as.authorization_endpoint);
    for (const [k, v] of Object.entries({
      client_id: client.client_id, redirect_uri: config.redirect_uri, response_type: 'code',
      scope: 'openid profile offline_access', state, nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    })) url.searchParams.set(k, v);
    location.assign(url);
    return;
  }

  const { codeVerifier, state, nonce } = JSON.parse(sessionStorage.getItem('login'));
  sessionStorage.removeItem('login');
  const params = oauth.validateAuthResponse(as, client, here, state);
  const steps = {};
  const tokens = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, config.redirect_uri, codeVerifier, http),
    { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  steps.token = 'ok';

  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, http));
  steps.refresh = refreshed.refresh_token !== tokens.refresh_token ? 'rotated' : 'not rotated';

  const info = await oauth.processUserInfoResponse(as, client, claims.sub,
    await oauth.userInfoRequest(as, client, refreshed.access_token, http));
  steps.userinfo = info.sub === claims.sub ? 'ok' : 'wrong subject';

  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token, http));
  try {
    await oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token, http));
    steps.revocation = 'still usable';
  } catch (e) {
    steps.revocation = e instanceof oauth.ResponseBodyError ? e.error : String(e);
  }
  try {
    await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, refreshed.access_token, http));
    steps.afterRevocation = 'still usable';
  } catch (e) {
    // the error is read from the WWW-Authenticate challenge when the browser lets the script see that header
    steps.afterRevocation = e instanceof oauth.WWWAuthenticateChallengeError ? `challenge:${e.cause[0].parameters.error}`
      : e instanceof oauth.ResponseBodyError ? `body:${e.error}` : String(e);
  }

  show('greeting', `Hello ${info.name}`);
  show('result', JSON.stringify(steps));
}

main().catch((e) => show('error', `${e.name}: ${e.message}${e.cause ? ' ' + JSON.stringify(e.cause) : ''}`));
