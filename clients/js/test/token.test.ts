import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatchkeyError, createTokenClient, type TokenClient, type TokenClientOptions } from '../dist/index.js';
import { CookieFetch } from './support/cookie-fetch.js';
import { cookies, FakeLatchkey } from './support/servers.js';

describe('token-in-memory client', () => {
  let server: FakeLatchkey;
  let browser: CookieFetch;
  let clock: number;
  let ended: LatchkeyError[];
  const clients: TokenClient[] = [];

  before(async () => {
    server = await new FakeLatchkey().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.received.length = 0;
    server.refuseRefreshWith = null;
    server.refreshOutage = null;
    server.dropRefreshAnswers = 0;
    server.rejectEveryToken = false;
    server.refreshDelayMs = 0;
    browser = new CookieFetch();
    clock = Date.parse('2030-01-01T00:00:00Z');
    ended = [];
    for (const c of clients.splice(0)) c.close();
  });

  function client(extra: Partial<TokenClientOptions> = {}): TokenClient {
    const c = createTokenClient({
      baseUrl: server.url,
      fetch: browser.fetch,
      now: () => clock,
      onSessionEnded: (error) => ended.push(error),
      locks: null,
      BroadcastChannel: null,
      ...extra,
    });
    clients.push(c);
    return c;
  }

  async function signedIn(extra: Partial<TokenClientOptions> = {}): Promise<TokenClient> {
    const c = client(extra);
    await c.login(FakeLatchkey.email, FakeLatchkey.password);
    server.received.length = 0;
    return c;
  }

  const refreshes = () => server.to('/api/auth/refresh').length;

  it('logs in, keeps the token in memory and sends it as Bearer', async () => {
    const c = await signedIn();
    const token = await c.getAccessToken();

    const response = await c.fetch('/api/notes');

    assert.equal(response.status, 200);
    assert.match(token ?? '', /^at-/);
    assert.equal(server.to('/api/notes')[0]?.headers.authorization, `Bearer ${token}`);
    assert.deepEqual(await c.me(), { sub: 'user-1', email: FakeLatchkey.email });
    assert.ok(browser.value('lk_refresh'), 'the server set the refresh cookie');
  });

  it('rejects a wrong password with the problem code and holds no token', async () => {
    const c = client();
    await assert.rejects(c.login(FakeLatchkey.email, 'wrong'), { name: 'LatchkeyError', status: 401, code: 'invalid_credentials' });
    assert.equal(await c.getAccessToken(), null);
  });

  it('refresh sends X-CSRF: 1, a JSON {} body and credentials include, and the cookie rotates', async () => {
    const c = await signedIn();
    const before = browser.value('lk_refresh');
    const oldToken = await c.getAccessToken();

    const fresh = await c.refresh();

    const [sent] = browser.sentTo('/api/auth/refresh');
    assert.equal(sent?.headers.get('x-csrf'), '1');
    assert.equal(sent?.credentials, 'include');
    assert.equal(server.to('/api/auth/refresh', 200)[0]?.body, '{}');
    assert.notEqual(fresh, oldToken);
    assert.equal(await c.getAccessToken(), fresh);
    assert.notEqual(browser.value('lk_refresh'), before, 'a new refresh cookie');
    assert.equal(browser.sentTo('/api/notes').length, 0);
  });

  it('20 concurrent calls with an expired token share exactly one refresh and all succeed', async () => {
    const c = await signedIn();
    server.expireAccessTokens();
    server.refreshDelayMs = 30;

    const responses = await Promise.all(Array.from({ length: 20 }, () => c.fetch('/api/notes')));

    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(refreshes(), 1);
    assert.equal(server.to('/api/notes', 401).length, 20, 'each call failed once');
    assert.equal(server.to('/api/notes', 200).length, 20, 'and was retried once');
    assert.deepEqual(ended, []);
  });

  it('a 401 that arrives after the refresh finished retries with the new token instead of refreshing again', async () => {
    const c = await signedIn();
    server.expireAccessTokens();

    const [slow, quick] = await Promise.all([c.fetch('/api/slow'), c.fetch('/api/notes')]);

    assert.deepEqual([slow.status, quick.status], [200, 200]);
    assert.equal(refreshes(), 1);
    assert.ok(
      server.to('/api/auth/refresh')[0]!.status === 200 && server.to('/api/slow', 401).length === 1,
      'the slow call failed with the old token after the refresh was over',
    );
  });

  it('a refused refresh ends the session once and rejects every waiting call, without a loop', async () => {
    const c = await signedIn();
    server.expireAccessTokens();
    server.refuseRefreshWith = 'session_revoked';

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.fetch('/api/notes')));

    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof LatchkeyError);
      assert.equal(result.reason.code, 'session_revoked');
    }
    assert.equal(refreshes(), 1);
    assert.equal(server.to('/api/notes').length, 5, 'no retry without a token');
    assert.deepEqual(ended.map((e) => e.code), ['session_revoked']);
    assert.equal(await c.getAccessToken(), null);
  });

  it('a call refused again after a fresh token ends the session, with no second refresh', async () => {
    const c = await signedIn();
    server.rejectEveryToken = true;

    const results = await Promise.allSettled([c.fetch('/api/notes'), c.fetch('/api/notes'), c.fetch('/api/notes')]);

    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof LatchkeyError && r.reason.status === 401));
    assert.equal(refreshes(), 1);
    assert.equal(server.to('/api/notes').length, 6, 'each call sent twice: first try and one retry');
    assert.equal(ended.length, 1);
  });

  it('refreshes ahead of expiry, once for concurrent callers, so no call meets a 401', async () => {
    const c = await signedIn({ refreshBeforeExpirySeconds: 30 });
    const first = await c.getAccessToken();

    clock += 200_000;
    await c.fetch('/api/notes');
    assert.equal(refreshes(), 0, '100 s before expiry: no refresh yet');

    clock += 75_000; // 25 s before expiry
    const responses = await Promise.all(Array.from({ length: 5 }, () => c.fetch('/api/notes')));

    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(refreshes(), 1);
    assert.equal(server.to('/api/notes', 401).length, 0);
    assert.notEqual(await c.getAccessToken(), first);
  });

  it('refreshes at half the lifetime when the lifetime is shorter than the lead time', async () => {
    server.accessTtlSeconds = 40;
    try {
      const c = await signedIn({ refreshBeforeExpirySeconds: 30 });
      clock += 15_000;
      await c.fetch('/api/notes');
      assert.equal(refreshes(), 0);
      clock += 6_000;
      await c.fetch('/api/notes');
      assert.equal(refreshes(), 1);
    } finally {
      server.accessTtlSeconds = 300;
    }
  });

  it('keeps using a still valid token when a proactive refresh meets an outage, without ending the session', async () => {
    const c = await signedIn();
    const token = await c.getAccessToken();
    server.refreshOutage = 503;
    clock += 280_000;

    const response = await c.fetch('/api/notes');

    assert.equal(response.status, 200);
    assert.equal(server.to('/api/notes')[0]?.headers.authorization, `Bearer ${token}`);
    assert.equal(refreshes(), 3, 'repeated twice at once, then given up');
    assert.deepEqual(ended, []);
    await assert.rejects(c.refresh(), { name: 'LatchkeyError', status: 503 });
    assert.deepEqual(ended, []);
  });

  it('a refresh whose answer is lost (the token rotated, the connection dropped) is repeated at once and gets the same successor', async () => {
    const c = await signedIn();
    const before = browser.value('lk_refresh');
    server.dropRefreshAnswers = 1;

    const token = await c.refresh();

    assert.match(token, /^at-/);
    assert.deepEqual(server.to('/api/auth/refresh').map((r) => r.status), [200, 200]);
    const [first, second] = server.to('/api/auth/refresh');
    assert.equal(cookies(second!).get('lk_refresh'), cookies(first!).get('lk_refresh'), 'the repeat sends the same cookie');
    assert.notEqual(browser.value('lk_refresh'), before);
    // minutes later the next refresh presents the successor, not the lost one's parent: no reuse, the session goes on
    clock += 600_000;
    assert.match(await c.refresh(), /^at-/);
    assert.equal((await c.fetch('/api/notes')).status, 200);
    assert.deepEqual(ended, []);
  });

  it('a refresh answered 502 by a proxy is repeated; a 401 is not', async () => {
    const c = await signedIn();
    server.refreshOutage = 502;
    await assert.rejects(c.refresh(), { name: 'LatchkeyError', status: 502 });
    assert.equal(refreshes(), 3);
    server.refreshOutage = null;
    server.received.length = 0;
    server.refuseRefreshWith = 'session_revoked';
    await assert.rejects(c.refresh(), { name: 'LatchkeyError', status: 401, code: 'session_revoked' });
    assert.equal(refreshes(), 1);
  });

  it('a refresh overtaken by newer ones (409 refresh_token_stale) is sent once more, with the newer cookie, and the session goes on', async () => {
    const c = await signedIn();
    const otherTab = client(); // the same browser's cookie jar, not sharing the lock
    const hold = server.holdNextRefresh();
    const late = c.refresh();
    await hold.arrived; // sent with the current cookie, delayed on its way

    await otherTab.refresh();
    await otherTab.refresh(); // the browser now holds a cookie two rotations newer
    hold.release();
    const token = await late;

    assert.match(token, /^at-/);
    assert.deepEqual(server.to('/api/auth/refresh').map((r) => r.status), [200, 200, 409, 200]);
    assert.equal(await c.getAccessToken(), token);
    assert.equal((await c.fetch('/api/notes')).status, 200);
    assert.equal((await otherTab.fetch('/api/notes')).status, 200);
    assert.deepEqual(ended, []);
  });

  it('a refresh stale twice rejects with refresh_token_stale without ending the session or looping', async () => {
    const c = await signedIn();
    const token = await c.getAccessToken();
    const otherTab = client();
    const first = server.holdNextRefresh();
    const late = c.refresh();
    await first.arrived;
    await otherTab.refresh();
    await otherTab.refresh();
    const second = server.holdNextRefresh(); // the retry is overtaken too
    first.release();
    await second.arrived;
    await otherTab.refresh();
    await otherTab.refresh();
    second.release();

    await assert.rejects(late, { name: 'LatchkeyError', status: 409, code: 'refresh_token_stale' });
    assert.equal(refreshes(), 6, 'one retry, no loop');
    assert.deepEqual(ended, []);
    assert.equal(await c.getAccessToken(), token, 'the still valid token stays in use');
  });

  it('restores the session from the refresh cookie on page load', async () => {
    await signedIn();
    const reloaded = client(); // same browser (cookie jar), empty memory

    assert.equal(await reloaded.getAccessToken(), null);
    const token = await reloaded.refresh();

    assert.match(token, /^at-/);
    assert.equal((await reloaded.fetch('/api/notes')).status, 200);
  });

  it('a first call without a token restores the session through one refresh', async () => {
    await signedIn();
    const reloaded = client();

    const response = await reloaded.fetch('/api/notes');

    assert.equal(response.status, 200);
    assert.equal(refreshes(), 1);
  });

  it('retries a Request object with its body', async () => {
    const c = await signedIn();
    server.expireAccessTokens();

    const response = await c.fetch(new Request(`${server.url}/api/notes`, { method: 'POST', body: 'hello' }));

    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { received: 'hello' });
    assert.equal(refreshes(), 1);
  });

  it('logout sends X-CSRF, forgets the token and ends the server session without calling onSessionEnded', async () => {
    const c = await signedIn();
    const token = await c.getAccessToken();

    await c.logout();

    const [sent] = browser.sentTo('/api/auth/logout');
    assert.equal(sent?.headers.get('x-csrf'), '1');
    assert.equal(sent?.headers.get('authorization'), `Bearer ${token}`);
    assert.equal(await c.getAccessToken(), null);
    assert.equal(browser.value('lk_refresh'), undefined);
    await assert.rejects(c.refresh(), { status: 401 });
    assert.deepEqual(ended, [], 'a deliberate logout is not reported as an ended session');
  });

  it('drops a refresh that finishes after logout', async () => {
    const c = await signedIn();
    server.refreshDelayMs = 50;

    const refreshing = c.refresh();
    await c.logout();

    await assert.rejects(refreshing, { code: 'logged_out' });
    assert.equal(await c.getAccessToken(), null);
  });

  it('never writes the token to localStorage, sessionStorage, document.cookie or indexedDB', async () => {
    const touched: string[] = [];
    const spy = (name: string) =>
      new Proxy(
        {},
        {
          get: (_, key) => (touched.push(`${name}.${String(key)}`), () => undefined),
          set: (_, key) => (touched.push(`${name}.${String(key)}=`), true),
        },
      );
    const names = ['localStorage', 'sessionStorage', 'document', 'indexedDB'] as const;
    for (const name of names) Object.defineProperty(globalThis, name, { value: spy(name), configurable: true });
    try {
      const c = await signedIn();
      server.expireAccessTokens();
      await c.fetch('/api/notes');
      clock += 290_000;
      await c.fetch('/api/notes');
      const token = await c.getAccessToken();

      assert.deepEqual(touched, []);
      assert.equal(refreshes(), 2);
      assert.ok(![...browser.jar.values()].some((cookie) => cookie.value === token), 'not in any cookie either');
    } finally {
      for (const name of names) Reflect.deleteProperty(globalThis, name);
    }
  });
});
