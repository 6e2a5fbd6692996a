import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relayedAccessToken } from '../dist/server.js';

function withAuthorization(value?: string): Request {
  return new Request('http://127.0.0.1/api/bff/x', value === undefined ? {} : { headers: { Authorization: value } });
}

describe('relayedAccessToken', () => {
  it('reads the Bearer token the gateway relays to an API route', () => {
    assert.equal(relayedAccessToken(withAuthorization('Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')), 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
  });

  it('is null without one, or for another scheme or a malformed value', () => {
    assert.equal(relayedAccessToken(withAuthorization()), null);
    assert.equal(relayedAccessToken(withAuthorization('Basic Z2F0ZXdheTpzZWNyZXQ=')), null);
    assert.equal(relayedAccessToken(withAuthorization('Bearer ')), null);
    assert.equal(relayedAccessToken(withAuthorization('Bearer a b')), null);
    assert.equal(relayedAccessToken(withAuthorization('Bearer a, Bearer b')), null);
  });
});
