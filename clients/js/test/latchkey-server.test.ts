import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LatchkeyError, createTokenClient, mfaChallenge, type FetchLike, type TokenClient } from '../dist/index.js';
import { createHmac } from 'node:crypto';
import { CookieFetch } from './support/cookie-fetch.js';

/**
 * The token-in-memory client against a real Latchkey server (`/api/auth/*`), not an imitation.
 * `LATCHKEY_TEST_SERVER` is the server's base URL; the JUnit test `JsClientTest` starts a server on
 * a fresh database and sets it. Without it (a plain `npm test`) these tests are skipped.
 */
const base = process.env['LATCHKEY_TEST_SERVER'];
const password = 'correct horse battery staple 42';

describe('token-in-memory client against a real Latchkey server', { skip: base === undefined ? 'LATCHKEY_TEST_SERVER not set' : false }, () => {
  const clients: TokenClient[] = [];
  after(() => clients.forEach((c) => c.close()));

  async function signedUp(): Promise<{ email: string; browser: CookieFetch; ended: LatchkeyError[]; clock: { now: number }; c: TokenClient }> {
    const email = `js-${randomUUID()}@example.test`;
    const r = await fetch(`${base}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF': '1' },
      body: JSON.stringify({ email, password, name: 'Grace' }),
    });
    assert.equal(r.status, 201, await r.text());
    const browser = new CookieFetch();
    const ended: LatchkeyError[] = [];
    const clock = { now: Date.now() };
    const c = createTokenClient({
      baseUrl: base!,
      fetch: browser.fetch,
      now: () => clock.now,
      onSessionEnded: (e) => ended.push(e),
      locks: null,
      BroadcastChannel: null,
    });
    clients.push(c);
    return { email, browser, ended, clock, c };
  }

  it('signs in, calls /api/auth/me with the in-memory token, and the server knows the user', async () => {
    const { email, browser, c } = await signedUp();

    await c.login(email, password);
    const me = await c.me<{ id: string; email: string; name: string }>();

    assert.equal(me.email, email);
    assert.equal(me.name, 'Grace');
    assert.match(me.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    assert.ok(browser.value('__Secure-lk_refresh'), 'the HttpOnly refresh cookie is kept by the "browser"');
    assert.equal([...browser.sent].filter((s) => s.headers.has('authorization')).length, 1);
  });

  it('rejects a wrong password with the server\'s problem code', async () => {
    const { email, c } = await signedUp();
    await assert.rejects(c.login(email, 'not the password at all'), { name: 'LatchkeyError', status: 401 });
    assert.equal(await c.getAccessToken(), null);
  });

  it('10 concurrent calls after the token expired share one refresh, and the rotated cookie keeps working', async () => {
    const { email, browser, ended, clock, c } = await signedUp();
    await c.login(email, password);
    const first = await c.getAccessToken();

    clock.now += 10 * 60_000; // past the 5-minute access token
    const responses = await Promise.all(Array.from({ length: 10 }, () => c.fetch('/api/auth/me')));

    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(browser.sentTo('/api/auth/refresh').length, 1, 'exactly one refresh reached the server');
    const second = await c.getAccessToken();
    assert.notEqual(second, first);

    clock.now += 10 * 60_000;
    const again = await c.fetch('/api/auth/me');
    assert.equal(again.status, 200);
    assert.equal(browser.sentTo('/api/auth/refresh').length, 2, 'the rotated refresh cookie was accepted');
    assert.deepEqual(ended, []);
  });

  it('a refresh overtaken by two newer ones gets 409 refresh_token_stale, is sent again with the newest cookie, and nobody is signed out', async () => {
    const { email, browser, ended, c: otherTab } = await signedUp();
    await otherTab.login(email, password);
    // This tab's next refresh leaves with the cookie the browser holds now, and reaches the server
    // only after the gate opens (a slow network or a proxy retrying upstream).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const held: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      if (!holding || new URL(request.url).pathname !== '/api/auth/refresh') return browser.fetch(input, init);
      holding = false;
      const headers = new Headers(request.headers);
      headers.set('cookie', `__Secure-lk_refresh=${browser.value('__Secure-lk_refresh')}`);
      await gate;
      const answer = await fetch(request, { headers }); // a 409 sets no cookie, so the jar needs no update
      lateAnswer = { status: answer.status, body: await answer.clone().json() };
      return answer;
    };
    let lateAnswer: { status: number; body: { code?: string } } | undefined;
    const lateEnded: LatchkeyError[] = [];
    const c = createTokenClient({ baseUrl: base!, fetch: held, onSessionEnded: (e) => lateEnded.push(e), locks: null, BroadcastChannel: null });
    clients.push(c);

    const late = c.refresh();
    await otherTab.refresh();
    await otherTab.refresh();
    release();
    const token = await late;

    assert.equal(lateAnswer?.status, 409);
    assert.equal(lateAnswer?.body.code, 'refresh_token_stale');
    const me = await fetch(`${base}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal((await otherTab.fetch('/api/auth/me')).status, 200);
    assert.deepEqual(ended, []);
    assert.deepEqual(lateEnded, []);
  });

  it('after logout the server refuses the old refresh cookie', async () => {
    const { email, browser, clock, c } = await signedUp();
    await c.login(email, password);
    const stolen = new Map(browser.jar); // what the cookie jar held while signed in

    await c.logout();
    assert.equal(await c.getAccessToken(), null);

    for (const [name, cookie] of stolen) browser.jar.set(name, cookie); // replay the old refresh cookie
    clock.now += 10 * 60_000;
    await assert.rejects(c.refresh(), { name: 'LatchkeyError', status: 401 });
    assert.equal(await c.getAccessToken(), null);
  });

  it('a second factor: login rejects with mfa_required and a challenge, completeMfa with a TOTP code signs in', async () => {
    const { email, c } = await signedUp();
    await c.login(email, password);
    // enrol an authenticator app through the API (Bearer), computing its codes here
    const begin = await c.fetch('/api/auth/mfa/totp', { method: 'POST', headers: { 'X-CSRF': '1' } });
    assert.equal(begin.status, 200);
    const { secret } = (await begin.json()) as { secret: string };
    const app = new AuthenticatorApp(secret);
    const confirm = await c.fetch('/api/auth/mfa/totp/confirm', {
      method: 'POST',
      headers: { 'X-CSRF': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: app.next() }),
    });
    assert.equal(confirm.status, 200);
    const { recovery_codes: codes } = (await confirm.json()) as { recovery_codes: string[] };
    assert.equal(codes.length, 10);

    const browser = new CookieFetch();
    const other = createTokenClient({ baseUrl: base!, fetch: browser.fetch, locks: null, BroadcastChannel: null });
    clients.push(other);
    const refused = await other.login(email, password).then(() => undefined, (e: unknown) => e);
    assert.ok(refused instanceof LatchkeyError);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'mfa_required');
    const challenge = mfaChallenge(refused);
    assert.ok(challenge);
    assert.deepEqual(challenge.factors, ['recovery_code', 'totp']);
    assert.equal(await other.getAccessToken(), null);

    const wrong = await other.completeMfa(challenge.challenge, 'totp', app.wrong()).then(() => undefined, (e: unknown) => e);
    assert.ok(wrong instanceof LatchkeyError);
    assert.equal(wrong.code, 'mfa_code_invalid');
    const retry = mfaChallenge(wrong);
    assert.ok(retry && retry.challenge !== challenge.challenge, 'a refused code comes with a fresh challenge');

    await other.completeMfa(retry.challenge, 'totp', app.next());
    const me = await other.me<{ email: string }>();
    assert.equal(me.email, email);
  });
});

/** An authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), each code for a step newer than the last one it gave. */
class AuthenticatorApp {
  private readonly key: Buffer;
  private last = -Infinity;

  constructor(base32: string) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = '';
    for (const ch of base32.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
    const bytes: number[] = [];
    for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
    this.key = Buffer.from(bytes);
  }

  code(step: number): string {
    const msg = Buffer.alloc(8);
    msg.writeBigUInt64BE(BigInt(step));
    const h = createHmac('sha1', this.key).update(msg).digest();
    const o = h[h.length - 1]! & 0x0f;
    const bin = ((h[o]! & 0x7f) << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!;
    return String(bin % 1_000_000).padStart(6, '0');
  }

  /** The current step, or the next one (±1 step of drift) when the current one was used. */
  next(): string {
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, this.last + 1);
    if (step > now + 1) throw new Error('both usable steps were used: wait for the next one');
    this.last = step;
    return this.code(step);
  }

  wrong(): string {
    return this.code(Math.floor(Date.now() / 30_000) + 40);
  }
}
