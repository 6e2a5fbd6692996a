import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { LatchkeyProvider, displayName, useGateway, useUser, type LatchkeyUser } from '../dist/client.js';

const ada: LatchkeyUser = {
  id: 'u-1', email: 'ada@example.test', name: 'Ada <Lovelace>', org: null, roles: ['admin'], permissions: [],
  acr: null, amr: [], expiresAt: 0,
};

function Greeting() {
  const user = useUser();
  return createElement('p', { id: 'greeting' }, user === null ? 'Signed out' : `Hello, ${displayName(user)}`);
}

describe('LatchkeyProvider and useUser', () => {
  it('renders the server-verified user on the server already (no fetch, no flash)', () => {
    const html = renderToString(createElement(LatchkeyProvider, { user: ada }, createElement(Greeting)));
    assert.equal(html, '<p id="greeting">Hello, Ada &lt;Lovelace&gt;</p>');
  });

  it('renders signed out for a null user', () => {
    assert.equal(renderToString(createElement(LatchkeyProvider, { user: null }, createElement(Greeting))), '<p id="greeting">Signed out</p>');
  });

  it('refuses a hook outside the provider with a clear message', () => {
    assert.throws(() => renderToString(createElement(Greeting)), /needs a <LatchkeyProvider>/);
  });

  it('keeps the gateway client off the server: calling it while rendering there fails loudly', () => {
    function Eager() {
      const gateway = useGateway();
      void gateway.fetch('/api/notes');
      return null;
    }
    assert.throws(() => renderToString(createElement(LatchkeyProvider, { user: ada }, createElement(Eager))), /for the browser/);
  });
});
