import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatchkeyError, createGatewayClient, toReturnTo, type LocationLike } from '../dist/index.js';
import { CookieFetch } from './support/cookie-fetch.js';
import { FakeGateway } from './support/servers.js';

/** `window.location` of a page on the gateway's origin; records navigations instead of leaving. */
class FakeLocation implements LocationLike {
  readonly assigned: string[] = [];
  constructor(
    readonly origin: string,
    readonly pathname = '/',
    readonly search = '',
    readonly hash = '',
  ) {}
  assign(url: string): void {
    this.assigned.push(url);
  }
}

describe('gateway (BFF) client', () => {
  let gateway: FakeGateway;
  let browser: CookieFetch;

  before(async () => {
    gateway = await new FakeGateway().start();
  });
  after(() => gateway.close());
  beforeEach(() => {
    gateway.received.length = 0;
    browser = new CookieFetch();
  });

  function client(location: FakeLocation, extra: { onUnauthenticated?: (url: string) => void } = {}) {
    return createGatewayClient({ baseUrl: gateway.url, fetch: browser.fetch, location, ...extra });
  }

  it('sends X-CSRF: 1 and same-origin credentials on every call, so state-changing calls pass the gateway', async () => {
    browser.set('lk_gw', gateway.signIn());
    const api = client(new FakeLocation(gateway.url));

    const read = await api.fetch('/api/notes');
    const write = await api.fetch('/api/notes', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const remove = await api.fetch(new Request(`${gateway.url}/api/notes/1`, { method: 'DELETE' }));

    assert.deepEqual([read.status, write.status, remove.status], [200, 200, 200]);
    assert.deepEqual(browser.sent.map((r) => r.headers.get('x-csrf')), ['1', '1', '1']);
    assert.deepEqual(browser.sent.map((r) => r.credentials), ['same-origin', 'same-origin', 'same-origin']);
    assert.equal(browser.sent[1]?.headers.get('content-type'), 'application/json', 'caller headers are kept');
    const withoutClient = await browser.fetch(`${gateway.url}/api/notes`, { method: 'POST', body: '{}' });
    assert.equal(withoutClient.status, 403, 'the gateway really refuses a POST without the header');
  });

  it('on 401 sends the browser to login with the encoded current page, and does not retry', async () => {
    const location = new FakeLocation(gateway.url, '/notes/7', '?tab=shared&sort=new', '#note-3');
    const api = client(location);

    const error = await api.fetch('/api/notes').then(
      () => assert.fail('a 401 must reject'),
      (e: unknown) => e,
    );

    assert.ok(error instanceof LatchkeyError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'session_expired', 'the problem code of the gateway');
    assert.deepEqual(location.assigned, [
      `${gateway.url}/auth/login?returnTo=%2Fnotes%2F7%3Ftab%3Dshared%26sort%3Dnew%23note-3`,
    ]);
    assert.equal(gateway.received.length, 1, 'one request, no retry');
  });

  it('navigates once when many calls fail together, and again after the session came back and went', async () => {
    const location = new FakeLocation(gateway.url, '/inbox');
    const api = client(location);

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => api.fetch('/api/notes')));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(location.assigned.length, 1);
    assert.equal(gateway.received.length, 5, 'each call sent once');

    browser.set('lk_gw', gateway.signIn());
    assert.equal((await api.fetch('/api/notes')).status, 200);
    browser.jar.clear();
    await assert.rejects(api.fetch('/api/notes'), LatchkeyError);
    assert.equal(location.assigned.length, 2);
  });

  it('builds returnTo as a same-origin path with a single leading slash', async () => {
    const location = new FakeLocation(gateway.url, '//evil.example/phish', '?a=1');
    const api = client(location);
    await assert.rejects(api.fetch('/api/notes'));
    assert.equal(location.assigned[0], `${gateway.url}/auth/login?returnTo=%2Fevil.example%2Fphish%3Fa%3D1`);

    assert.equal(toReturnTo('/\\evil.example'), '/evil.example');
    assert.equal(toReturnTo('///x'), '/x');
    assert.equal(toReturnTo('relative'), '/relative');
    assert.equal(toReturnTo('/a/b?c=d#e'), '/a/b?c=d#e');
  });

  it('calls onUnauthenticated instead of navigating when one is given', async () => {
    const location = new FakeLocation(gateway.url, '/settings');
    const seen: string[] = [];
    const api = client(location, { onUnauthenticated: (url) => seen.push(url) });

    await assert.rejects(api.fetch('/api/notes'), LatchkeyError);

    assert.deepEqual(seen, [`${gateway.url}/auth/login?returnTo=%2Fsettings`]);
    assert.deepEqual(location.assigned, []);
    assert.equal(api.loginUrl(), seen[0]);
  });

  it('me() answers the claims, or null without navigating when signed out', async () => {
    const location = new FakeLocation(gateway.url, '/');
    const api = client(location);

    assert.equal(await api.me(), null);
    browser.set('lk_gw', gateway.signIn());
    assert.deepEqual(await api.me(), { sub: 'user-1', name: 'Ada' });
    assert.deepEqual(location.assigned, []);
  });

  it('logout() posts with X-CSRF, ends the session and follows logout_url', async () => {
    browser.set('lk_gw', gateway.signIn());
    const location = new FakeLocation(gateway.url, '/');
    const api = client(location);

    const result = await api.logout();

    assert.deepEqual(result, { logoutUrl: FakeGateway.logoutUrl });
    assert.deepEqual(location.assigned, [FakeGateway.logoutUrl]);
    assert.equal(gateway.to('/auth/logout', 200).length, 1);
    assert.equal(browser.value('lk_gw'), undefined, 'the gateway cleared its cookie');
    assert.equal(await api.me(), null);
  });

  it("uses credentials 'include' when the gateway is on another origin than the page", async () => {
    browser.set('lk_gw', gateway.signIn());
    const api = client(new FakeLocation('https://app.example', '/'));

    await api.fetch('/api/notes');

    assert.equal(browser.sent[0]?.credentials, 'include');
  });
});
