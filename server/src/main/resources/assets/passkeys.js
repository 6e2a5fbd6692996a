// Latchkey passkeys (WebAuthn Level 3) for the hosted pages: register on /account, sign in on /login
// (a button, and conditional UI: the e-mail field's autofill offers passkeys), and the second step of
// a sign-in on the two-step page (the assertion is posted with the page's form and its challenge). Binary fields travel
// as base64url JSON, as in PublicKeyCredential.toJSON(); older browsers get the same by hand.
(function () {
  'use strict';

  function toBytes(s) {
    const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    return Uint8Array.from(b, function (c) { return c.charCodeAt(0); });
  }

  function toB64(buf) {
    const bytes = new Uint8Array(buf);
    let s = '';
    for (let i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, { id: toBytes(d.id) }); });
  }

  function creationOptions(json) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials)
    });
  }

  function requestOptions(json) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return Object.assign({}, json, { challenge: toBytes(json.challenge), allowCredentials: descriptors(json.allowCredentials) });
  }

  function credentialJSON(c) {
    if (typeof c.toJSON === 'function') { return c.toJSON(); }
    const r = c.response;
    const response = { clientDataJSON: toB64(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64(r.authenticatorData);
      response.signature = toB64(r.signature);
      if (r.userHandle) { response.userHandle = toB64(r.userHandle); }
    }
    return { id: c.id, rawId: toB64(c.rawId), type: c.type, response: response,
      clientExtensionResults: c.getClientExtensionResults(), authenticatorAttachment: c.authenticatorAttachment || undefined };
  }

  async function call(path, csrf, body) {
    const res = await fetch(path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF': csrf },
      body: JSON.stringify(body || {})
    });
    const data = await res.json().catch(function () { return {}; });
    if (!res.ok) { throw new Error(data.detail || data.title || ('The server answered ' + res.status + '.')); }
    return data;
  }

  function show(el, message) {
    if (!el) { return; }
    el.textContent = message;
    el.hidden = false;
  }

  function browserMessage(e) {
    if (e && e.name === 'NotAllowedError') { return 'The passkey request was cancelled or timed out.'; }
    if (e && e.name === 'InvalidStateError') { return 'This authenticator already holds a passkey for your account.'; }
    return e && e.message ? e.message : 'The passkey did not work.';
  }

  // ---- account page: register
  const add = document.getElementById('passkey-add');
  if (add) {
    const error = document.getElementById('passkey-error');
    add.addEventListener('click', async function (ev) {
      ev.preventDefault();
      add.disabled = true;
      try {
        const options = await call('/account/passkeys/options', add.dataset.csrf);
        const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
        const nameField = document.getElementById('passkey-name');
        const done = await call('/account/passkeys', add.dataset.csrf,
          { name: nameField ? nameField.value : '', credential: credentialJSON(credential) });
        window.location.assign(done.redirect);
      } catch (e) {
        show(error, browserMessage(e));
        add.disabled = false;
      }
    });
  }

  // ---- sign-in page: a button, and conditional UI on the e-mail field
  const signIn = document.getElementById('passkey-sign-in');
  if (signIn && window.PublicKeyCredential) {
    const error = document.getElementById('passkey-error');
    let pending = null;
    let finishing = false;   // one answer is posted, never two (the autofill's and the button's)

    async function run(mediation) {
      const controller = new AbortController();
      pending = controller;
      const options = await call('/login/passkey/options', signIn.dataset.csrf);
      const request = { publicKey: requestOptions(options), signal: controller.signal };
      if (mediation) { request.mediation = mediation; }
      const credential = await navigator.credentials.get(request);
      if (finishing || controller.signal.aborted) { return; }
      finishing = true;
      const done = await call('/login/passkey', signIn.dataset.csrf,
        { credential: credentialJSON(credential), returnTo: signIn.dataset.returnTo });
      window.location.assign(done.redirect);
    }

    signIn.hidden = false;
    signIn.addEventListener('click', async function (ev) {
      ev.preventDefault();
      if (finishing) { return; }
      if (pending) { pending.abort(); }
      signIn.disabled = true;
      try {
        await run(null);
      } catch (e) {
        finishing = false;
        show(error, browserMessage(e));
        signIn.disabled = false;
      }
    });

    if (PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
        if (!ok) { return; }
        run('conditional').catch(function (e) {
          finishing = false;
          if (e && e.name !== 'AbortError') { show(error, browserMessage(e)); }
        });
      });
    }
  }

  // ---- two-step page: a passkey as the second factor of the pending sign-in
  const second = document.getElementById('passkey-form');
  if (second && !window.PublicKeyCredential) {
    second.hidden = true;   // no WebAuthn in this browser: the codes remain
  } else if (second) {
    const error = document.getElementById('passkey-error');
    const button = document.getElementById('use-passkey');
    second.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      button.disabled = true;
      try {
        const res = await fetch('/login/mfa/passkey/options', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf: second.elements.csrf.value, challenge: second.elements.challenge.value })
        });
        const options = await res.json().catch(function () { return {}; });
        if (!res.ok) { throw new Error(options.detail || options.title || ('The server answered ' + res.status + '.')); }
        const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
        document.getElementById('passkey-credential').value = JSON.stringify(credentialJSON(credential));
        second.submit();
      } catch (e) {
        show(error, browserMessage(e));
        button.disabled = false;
      }
    });
  }
}());
