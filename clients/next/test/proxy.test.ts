import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NextRequest } from 'next/server';
import { configureLatchkey } from '../dist/index.js';
import { latchkeyProxy, matches } from '../dist/proxy.js';
import { ImitationGateway } from './support/gateway.js';

const SITE = 'http://127.0.0.1:3000';

function request(path: string, init: { method?: string; assertion?: string } = {}): NextRequest {
  const headers = new Headers();
  if (init.assertion !== undefined) headers.set('Latchkey-Assertion', init.assertion);
  return new NextRequest(SITE + path, { method: init.method ?? 'GET', headers });
}

/** `NextResponse.next()` is marked by this header; a redirect or an answer is not. */
function passedThrough(response: Response): boolean {
  return response.headers.get('x-middleware-next') === '1';
}

describe('latchkeyProxy', () => {
  let gw: ImitationGateway;

  before(async () => {
    gw = await ImitationGateway.start();
    configureLatchkey({ gatewayUrl: gw.url });
  });
  after(() => gw.close());

  it('lets public paths through without looking at the assertion', async () => {
    const proxy = latchkeyProxy({ publicPaths: ['/', '/about'] });
    assert.ok(passedThrough(await proxy(request('/'))));
    assert.ok(passedThrough(await proxy(request('/about'))));
    assert.ok(passedThrough(await proxy(request('/about/team'))));
    assert.ok(passedThrough(await proxy(request('/about', { assertion: 'forged' }))));
  });

  it('sends a GET for a protected path without an assertion to the gateway sign-in, returning to the path and query', async () => {
    const proxy = latchkeyProxy({ publicPaths: ['/'] });
    for (const path of ['/dashboard?tab=2', '/aboutx', '/dashboard/notes']) {
      const r = await proxy(request(path));
      assert.equal(r.status, 303, path);
      assert.equal(r.headers.get('location'), `${gw.url}/auth/login?returnTo=${encodeURIComponent(path)}`);
    }
    const head = await proxy(request('/dashboard', { method: 'HEAD' }));
    assert.equal(head.status, 303);
  });

  it('answers other methods with a 401 problem instead of a redirect', async () => {
    const r = await latchkeyProxy()(request('/dashboard', { method: 'POST' }));
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.equal((await r.json() as { code: string }).code, 'unauthenticated');
  });

  it('passes a valid assertion, and redirects a forged, expired or wrong-audience one', async () => {
    const proxy = latchkeyProxy({ publicPaths: ['/'] });
    assert.ok(passedThrough(await proxy(request('/dashboard', { assertion: await gw.assertion() }))));
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    for (const bad of [
      await gw.sign(gw.claims(), { key: privateKey }),
      await gw.assertion({ iat: now - 300, exp: now - 200 }),
      await gw.assertion({ aud: 'other' }),
      'garbage',
    ]) {
      const r = await proxy(request('/dashboard', { assertion: bad }));
      assert.equal(r.status, 303);
    }
  });

  it('never builds a returnTo that leaves the site', async () => {
    const r = await latchkeyProxy()(request('//evil.example/steal'));
    assert.equal(r.status, 303);
    const location = new URL(r.headers.get('location') ?? '');
    assert.equal(location.origin, gw.url);
    const returnTo = location.searchParams.get('returnTo') ?? '';
    assert.match(returnTo, /^\/[^/\\]/);
  });

  it('protects only protectedPaths when they are given', async () => {
    const proxy = latchkeyProxy({ protectedPaths: ['/dashboard', '/admin/'] });
    assert.ok(passedThrough(await proxy(request('/'))));
    assert.ok(passedThrough(await proxy(request('/dashboardx'))));
    assert.equal((await proxy(request('/dashboard'))).status, 303);
    assert.equal((await proxy(request('/admin'))).status, 303);
    assert.equal((await proxy(request('/admin/users'))).status, 303);
  });

  it('matches whole path segments', () => {
    assert.ok(matches('/docs', '/docs'));
    assert.ok(matches('/docs', '/docs/a'));
    assert.ok(!matches('/docs', '/docsx'));
    assert.ok(matches('/', '/'));
    assert.ok(!matches('/', '/anything'));
    assert.throws(() => latchkeyProxy({ publicPaths: ['docs'] }), /start with/);
  });
});
