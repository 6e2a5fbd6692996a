import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { createAssertionVerifier, KeysUnavailableError, type AssertionVerifier, type Verification } from '../dist/index.js';
import { ImitationGateway, unsecured } from './support/gateway.js';

function rejected(v: Verification): string {
  assert.equal(v.ok, false, 'expected a rejection, got ' + JSON.stringify(v));
  return v.ok ? '' : v.reason;
}

describe('assertion verification', () => {
  let gw: ImitationGateway;
  let verifier: AssertionVerifier;

  before(async () => {
    gw = await ImitationGateway.start();
    verifier = createAssertionVerifier({ issuer: gw.url });
  });
  after(() => gw.close());

  it('accepts the gateway assertion and types its claims', async () => {
    const v = await verifier.verify(await gw.assertion({ permissions: ['notes:read'], acr: 'urn:latchkey:acr:pwd', amr: ['pwd', 'otp'] }));
    assert.ok(v.ok, JSON.stringify(v));
    assert.deepEqual(v.user, {
      id: 'b1f0c7e2-4e0a-4c55-9d1e-1f2a3b4c5d6e', email: 'ada@example.test', name: 'Ada', org: 'org-1', roles: ['member'],
      permissions: ['notes:read'], acr: 'urn:latchkey:acr:pwd', amr: ['pwd', 'otp'], expiresAt: v.user.expiresAt,
    });
    assert.ok(Object.isFrozen(v.user.roles));
  });

  it('gives absent optional claims as null or empty lists', async () => {
    const claims = gw.claims();
    delete claims['email'];
    delete claims['name'];
    delete claims['org'];
    delete claims['roles'];
    const v = await verifier.verify(await gw.sign(claims));
    assert.ok(v.ok, JSON.stringify(v));
    assert.equal(v.user.email, null);
    assert.equal(v.user.name, null);
    assert.equal(v.user.org, null);
    assert.deepEqual(v.user.roles, []);
    assert.deepEqual(v.user.amr, []);
  });

  it('refuses a missing or empty header', async () => {
    assert.equal(rejected(await verifier.verify(null)), 'missing');
    assert.equal(rejected(await verifier.verify(undefined)), 'missing');
    assert.equal(rejected(await verifier.verify('')), 'missing');
  });

  it('refuses garbage, two assertions joined by a comma (a duplicated header), and oversized values', async () => {
    const good = await gw.assertion();
    assert.equal(rejected(await verifier.verify('not a jwt')), 'malformed');
    assert.equal(rejected(await verifier.verify(`${good}, ${good}`)), 'malformed');
    assert.equal(rejected(await verifier.verify('a.b')), 'malformed');
    assert.equal(rejected(await verifier.verify('eyJ' + 'A'.repeat(9000) + '.e30.x')), 'malformed');
    assert.equal(rejected(await verifier.verify('eyJhbGciOiJFUzI1NiJ9.%%%.sig')), 'malformed');
  });

  it('refuses an assertion signed by another key under the same kid (forged)', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    assert.equal(rejected(await verifier.verify(await gw.sign(gw.claims(), { key: privateKey }))), 'bad_signature');
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await gw.assertion()).split('.');
    const payload = Buffer.from(JSON.stringify(gw.claims({ roles: ['admin'] }))).toString('base64url');
    assert.equal(rejected(await verifier.verify(`${h}.${payload}.${s}`)), 'bad_signature');
  });

  it('refuses a kid the gateway does not publish', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const v = await verifier.verify(await gw.sign(gw.claims(), { key: privateKey, header: { kid: 'someone-else' } }));
    assert.equal(rejected(v), 'unknown_key');
  });

  it('refuses alg none, with or without a signature part', async () => {
    assert.equal(rejected(await verifier.verify(unsecured(gw.claims()))), 'wrong_algorithm');
    assert.equal(rejected(await verifier.verify(unsecured(gw.claims()) + 'c2ln')), 'wrong_algorithm');
    assert.equal(rejected(await verifier.verify(unsecured(gw.claims(), { alg: 'none', typ: 'JWT', kid: gw.kid }))), 'wrong_algorithm');
  });

  it('refuses HS256 keyed with the public key (algorithm confusion) and other algorithms', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: gw.kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(gw.claims())).toString('base64url');
    const mac = createHmac('sha256', JSON.stringify(gw.publicJwk)).update(`${header}.${payload}`).digest('base64url');
    assert.equal(rejected(await verifier.verify(`${header}.${payload}.${mac}`)), 'wrong_algorithm');
    const { privateKey } = await generateKeyPair('ES384');
    const es384 = await new SignJWT(gw.claims()).setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: gw.kid }).sign(privateKey);
    assert.equal(rejected(await verifier.verify(es384)), 'wrong_algorithm');
  });

  it('refuses another JOSE typ, e.g. an access token (at+jwt), and a missing typ', async () => {
    assert.equal(rejected(await verifier.verify(await gw.sign(gw.claims(), { header: { typ: 'at+jwt' } }))), 'wrong_type');
    assert.equal(rejected(await verifier.verify(await gw.sign(gw.claims(), { header: { typ: undefined } }))), 'wrong_type');
  });

  it('refuses the wrong audience and the wrong issuer', async () => {
    assert.equal(rejected(await verifier.verify(await gw.assertion({ aud: 'another-app' }))), 'wrong_audience');
    assert.equal(rejected(await verifier.verify(await gw.assertionWithout('aud'))), 'wrong_audience');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ iss: 'http://127.0.0.1:1' }))), 'wrong_issuer');
  });

  it('refuses an expired assertion, and accepts one within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(rejected(await verifier.verify(await gw.assertion({ iat: now - 120, exp: now - 60 }))), 'expired');
    const v = await verifier.verify(await gw.assertion({ iat: now - 65, exp: now - 5 }));
    assert.ok(v.ok, 'within the 10 s tolerance: ' + JSON.stringify(v));
    const strict = createAssertionVerifier({ issuer: gw.url, clockToleranceSeconds: 0 });
    assert.equal(rejected(await strict.verify(await gw.assertion({ iat: now - 65, exp: now - 5 }))), 'expired');
  });

  it('uses the injected clock', async () => {
    const later = createAssertionVerifier({ issuer: gw.url, now: () => Date.now() + 120_000 });
    assert.equal(rejected(await later.verify(await gw.assertion())), 'expired');
  });

  it('refuses an assertion that is not valid yet, or issued in the future beyond the tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(rejected(await verifier.verify(await gw.assertion({ nbf: now + 300 }))), 'not_yet_valid');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ iat: now + 120, exp: now + 180 }))), 'not_yet_valid');
    assert.ok((await verifier.verify(await gw.assertion({ iat: now + 5, exp: now + 65 }))).ok, 'within the tolerance');
  });

  it('refuses an assertion issued more than 5 minutes ago even if its exp is later (a gateway with a wrong clock)', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(rejected(await verifier.verify(await gw.assertion({ iat: now - 400, exp: now + 600 }))), 'expired');
  });

  it('refuses missing sub, exp or iat, and mistyped user claims', async () => {
    for (const claim of ['sub', 'exp', 'iat']) {
      assert.equal(rejected(await verifier.verify(await gw.assertionWithout(claim))), 'invalid_claims', claim);
    }
    assert.equal(rejected(await verifier.verify(await gw.assertion({ sub: '' }))), 'invalid_claims');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ roles: 'admin' }))), 'invalid_claims');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ roles: ['admin', 7] }))), 'invalid_claims');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ email: ['a@b'] }))), 'invalid_claims');
    assert.equal(rejected(await verifier.verify(await gw.assertion({ amr: 'pwd' }))), 'invalid_claims');
  });

  it('fetches the JWKS once and caches it', async () => {
    const fresh = createAssertionVerifier({ issuer: gw.url });
    const before = gw.jwksFetches;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => gw.assertion()));
    const results = await Promise.all(tokens.map((t) => fresh.verify(t)));
    for (const t of tokens) assert.ok((await fresh.verify(t)).ok);
    assert.ok(results.every((r) => r.ok));
    assert.equal(gw.jwksFetches - before, 1);
  });

  it('does not refetch the JWKS for every unknown kid (cooldown)', async () => {
    const fresh = createAssertionVerifier({ issuer: gw.url });
    assert.ok((await fresh.verify(await gw.assertion())).ok);
    const before = gw.jwksFetches;
    const { privateKey } = await generateKeyPair('ES256');
    for (let i = 0; i < 10; i++) {
      const v = await fresh.verify(await gw.sign(gw.claims(), { key: privateKey, header: { kid: 'unknown-' + i } }));
      assert.equal(rejected(v), 'unknown_key');
    }
    assert.ok(gw.jwksFetches - before <= 1, `fetched ${gw.jwksFetches - before} times`);
  });

  it('throws KeysUnavailableError when the JWKS cannot be fetched, instead of answering "signed out"', async () => {
    const token = await gw.assertion();
    const down = createAssertionVerifier({ issuer: gw.url, jwksUrl: 'http://127.0.0.1:1/auth/jwks.json' });
    await assert.rejects(down.verify(token), KeysUnavailableError);
    gw.jwksStatus = 500;
    try {
      await assert.rejects(createAssertionVerifier({ issuer: gw.url }).verify(token), KeysUnavailableError);
    } finally {
      gw.jwksStatus = 200;
    }
  });

  it('uses fixed keys when given, without fetching', async () => {
    const before = gw.jwksFetches;
    const fixed = createAssertionVerifier({ issuer: gw.url, keys: { keys: [gw.publicJwk] } });
    assert.ok((await fixed.verify(await gw.assertion())).ok);
    assert.equal(gw.jwksFetches, before);
  });

  it('checks its own options', () => {
    assert.throws(() => createAssertionVerifier({ issuer: 'not a url' }), /issuer/);
    assert.throws(() => createAssertionVerifier({ issuer: 'ftp://gw' }), /issuer/);
    assert.throws(() => createAssertionVerifier({ issuer: gw.url, clockToleranceSeconds: 61 }), /clockTolerance/);
    assert.throws(() => createAssertionVerifier({ issuer: gw.url, audience: '' }), /audience/);
  });
});
