import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromEnv, LatchkeyConfigError, signInUrl } from '../dist/index.js';

describe('configuration', () => {
  it('reads the gateway URL and defaults the rest', () => {
    assert.deepEqual(configFromEnv({ LATCHKEY_GATEWAY_URL: 'https://app.example.com/' }), {
      gatewayUrl: 'https://app.example.com',
      audience: 'latchkey-app',
      jwksUrl: 'https://app.example.com/auth/jwks.json',
      clockToleranceSeconds: 10,
      defaultReturnTo: '/',
    });
    const c = configFromEnv({
      LATCHKEY_GATEWAY_URL: 'http://localhost:8000', LATCHKEY_ASSERTION_AUDIENCE: 'web', LATCHKEY_JWKS_URL: 'http://gateway:8000/auth/jwks.json',
      LATCHKEY_CLOCK_TOLERANCE_SECONDS: '0', LATCHKEY_DEFAULT_RETURN_TO: '//dashboard',
    });
    assert.equal(c.audience, 'web');
    assert.equal(c.jwksUrl, 'http://gateway:8000/auth/jwks.json');
    assert.equal(c.clockToleranceSeconds, 0);
    assert.equal(c.defaultReturnTo, '/dashboard');
  });

  it('reports every problem at once', () => {
    assert.throws(() => configFromEnv({}), (e: unknown) => e instanceof LatchkeyConfigError && e.problems.length === 1
      && /LATCHKEY_GATEWAY_URL is required/.test(e.message));
    assert.throws(() => configFromEnv({ LATCHKEY_GATEWAY_URL: 'javascript:alert(1)', LATCHKEY_CLOCK_TOLERANCE_SECONDS: '600' }),
      (e: unknown) => e instanceof LatchkeyConfigError && e.problems.length === 2);
    assert.throws(() => configFromEnv({ LATCHKEY_GATEWAY_URL: 'http://gw', LATCHKEY_CLOCK_TOLERANCE_SECONDS: '1.5' }), LatchkeyConfigError);
    assert.throws(() => configFromEnv({ LATCHKEY_GATEWAY_URL: 'http://gw', LATCHKEY_JWKS_URL: 'file:///etc/passwd' }), LatchkeyConfigError);
  });

  it('builds the sign-in URL with a same-origin returnTo only', () => {
    const c = { gatewayUrl: 'https://app.example.com' };
    assert.equal(signInUrl(c, '/notes?x=1&y=2#top'), 'https://app.example.com/auth/login?returnTo=%2Fnotes%3Fx%3D1%26y%3D2%23top');
    assert.equal(signInUrl(c, '//evil.example/steal'), 'https://app.example.com/auth/login?returnTo=%2Fevil.example%2Fsteal');
    assert.equal(signInUrl(c, '/\\evil.example'), 'https://app.example.com/auth/login?returnTo=%2Fevil.example');
    assert.equal(signInUrl(c, 'https://evil.example'), 'https://app.example.com/auth/login?returnTo=%2Fhttps%3A%2F%2Fevil.example');
  });
});

describe('warnings about refused assertions', () => {
  it('logs a refused assertion once a minute per reason, and never a missing one', async () => {
    const { warnRejected } = await import('../dist/config.js');
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => { seen.push(message); };
    try {
      const t = 1_000_000_000;
      warnRejected({ ok: false, reason: 'missing', detail: 'no header' }, t);
      warnRejected({ ok: false, reason: 'wrong_audience', detail: 'unexpected "aud" claim value' }, t);
      warnRejected({ ok: false, reason: 'wrong_audience', detail: 'again' }, t + 30_000);
      warnRejected({ ok: false, reason: 'expired', detail: '"exp" claim timestamp check failed' }, t + 30_000);
      warnRejected({ ok: false, reason: 'wrong_audience', detail: 'a minute later' }, t + 61_000);
    } finally {
      console.warn = original;
    }
    assert.deepEqual(seen, [
      '[@latchkey/next] Latchkey-Assertion refused (wrong_audience): unexpected "aud" claim value',
      '[@latchkey/next] Latchkey-Assertion refused (expired): "exp" claim timestamp check failed',
      '[@latchkey/next] Latchkey-Assertion refused (wrong_audience): a minute later',
    ]);
  });
});
