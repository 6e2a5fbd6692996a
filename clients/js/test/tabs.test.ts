import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTokenClient, type LatchkeyError, type TokenClient, type TokenClientOptions } from '../dist/index.js';
import { CookieFetch } from './support/cookie-fetch.js';
import { FakeLocks } from './support/fake-locks.js';
import { FakeLatchkey } from './support/servers.js';

/**
 * Two tabs of one browser: two clients in one process sharing the cookie jar, the clock,
 * a fake `navigator.locks` and Node's real `BroadcastChannel` under one name.
 */
describe('tabs sharing one session', () => {
  let server: FakeLatchkey;
  let browser: CookieFetch;
  let locks: FakeLocks;
  let lockName: string;
  let ended: Map<string, LatchkeyError[]>;
  const tabs: TokenClient[] = [];

  before(async () => {
    server = await new FakeLatchkey().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.received.length = 0;
    server.refreshDelayMs = 0;
    server.refuseRefreshWith = null;
    browser = new CookieFetch();
    locks = new FakeLocks();
    lockName = `latchkey-test-${randomUUID()}`;
    ended = new Map();
    for (const t of tabs.splice(0)) t.close();
  });

  function tab(label: string, extra: Partial<TokenClientOptions> = {}): TokenClient {
    ended.set(label, []);
    const t = createTokenClient({
      baseUrl: server.url,
      fetch: browser.fetch,
      lockName,
      locks,
      BroadcastChannel,
      onSessionEnded: (error) => ended.get(label)?.push(error),
      ...extra,
    });
    tabs.push(t);
    return t;
  }

  /** BroadcastChannel delivers asynchronously; wait until `check` holds. */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.fail('condition not reached within 500 ms');
  }

  async function twoSignedInTabs(extra: Partial<TokenClientOptions> = {}): Promise<[TokenClient, TokenClient]> {
    const a = tab('a', extra);
    const b = tab('b', extra);
    await a.login(FakeLatchkey.email, FakeLatchkey.password);
    const token = await a.getAccessToken();
    await eventually(async () => (await b.getAccessToken()) === token);
    server.received.length = 0;
    return [a, b];
  }

  const refreshes = () => server.to('/api/auth/refresh').length;

  it('a tab that logs in shares its token with the others', async () => {
    const [a, b] = await twoSignedInTabs();
    assert.equal(await b.getAccessToken(), await a.getAccessToken());
    assert.equal((await b.fetch('/api/notes')).status, 200);
    assert.equal(refreshes(), 0);
  });

  it('when two tabs refresh at once, the second waits for the lock and adopts the first one’s token', async () => {
    const [a, b] = await twoSignedInTabs();
    server.refreshDelayMs = 40;

    const [fromA, fromB] = await Promise.all([a.refresh(), b.refresh()]);

    assert.equal(refreshes(), 1, 'one refresh for the browser, not one per tab');
    assert.equal(fromB, fromA);
    assert.equal(locks.refusedIfAvailable, 1, 'the second tab found the lock taken');
    assert.equal(await b.getAccessToken(), fromA);
  });

  it('a refresh asked for just after another tab’s refresh finished adopts its token; a later one refreshes', async () => {
    let clock = Date.now();
    const [a, b] = await twoSignedInTabs({ now: () => clock });
    clock += 1_000; // so that a's new token outlives the one b holds
    const fromA = await a.refresh();
    await eventually(async () => (await b.getAccessToken()) === fromA);

    assert.equal(await b.refresh(), fromA, 'the other tab refreshed a moment ago');
    assert.equal(refreshes(), 1);

    clock += 5_000;
    const later = await b.refresh();
    assert.notEqual(later, fromA);
    assert.equal(refreshes(), 2);
  });

  it('20 calls across two tabs with an expired token cause one refresh, and all succeed', async () => {
    const [a, b] = await twoSignedInTabs();
    server.expireAccessTokens();
    server.refreshDelayMs = 20;

    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).fetch('/api/notes')));

    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(refreshes(), 1);
    assert.equal(server.to('/api/auth/refresh', 401).length, 0, 'no tab replayed a rotated cookie');
  });

  it('without Web Locks each tab still refreshes at most once and adopts broadcast tokens', async () => {
    const [a, b] = await twoSignedInTabs({ locks: null });
    server.expireAccessTokens();

    await a.fetch('/api/notes');
    await eventually(async () => (await b.getAccessToken()) === (await a.getAccessToken()));
    const response = await b.fetch('/api/notes');

    assert.equal(response.status, 200);
    assert.equal(refreshes(), 1);
  });

  it('logout in one tab ends the session in the others', async () => {
    const [a, b] = await twoSignedInTabs();
    const c = tab('c'); // opened after the login: no token in memory yet
    assert.equal(await c.getAccessToken(), null);

    await a.logout();
    await eventually(async () => (await b.getAccessToken()) === null);

    assert.deepEqual(ended.get('a'), []);
    assert.deepEqual(ended.get('b')?.map((e) => e.code), ['logged_out']);
    assert.deepEqual(ended.get('c'), [], 'nothing to end in a tab without a session');
  });

  it('a refresh refused in one tab ends the session in the others, once each', async () => {
    const [a, b] = await twoSignedInTabs();
    server.refuseRefreshWith = 'refresh_token_reused';

    await assert.rejects(a.refresh(), { code: 'refresh_token_reused' });
    await eventually(async () => (ended.get('b')?.length ?? 0) > 0);

    assert.equal(await b.getAccessToken(), null);
    assert.deepEqual(ended.get('a')?.map((e) => e.code), ['refresh_token_reused']);
    assert.deepEqual(ended.get('b')?.map((e) => e.code), ['refresh_token_reused']);
    assert.equal(refreshes(), 1);
  });

  it('tabs with another lock name neither share tokens nor locks', async () => {
    const a = tab('a');
    const other = createTokenClient({ baseUrl: server.url, fetch: browser.fetch, lockName: `${lockName}-other`, locks, BroadcastChannel });
    tabs.push(other);

    await a.login(FakeLatchkey.email, FakeLatchkey.password);
    await new Promise((resolve) => setTimeout(resolve, 30));

    assert.equal(await other.getAccessToken(), null);
  });
});
