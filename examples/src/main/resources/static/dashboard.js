// The dashboard's notes, through the gateway: same-origin fetches with the gateway's CSRF header.
// Text goes into the page with textContent only, never as HTML.
'use strict';
(function () {
  const LOGIN = '/auth/login?returnTo=/dashboard';
  const status = document.getElementById('status');

  async function call(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { 'X-CSRF': '1', 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      window.location.assign(LOGIN);
      throw new Error('signed out');
    }
    if (!response.ok) {
      let detail = 'Request failed (' + response.status + ')';
      try { detail = (await response.json()).detail || detail; } catch (ignored) { /* not JSON */ }
      throw new Error(detail);
    }
    return response.status === 204 ? null : response.json();
  }

  function show(message) {
    status.textContent = message;
  }

  function render(notes) {
    const list = document.getElementById('notes');
    list.replaceChildren();
    for (const note of notes) {
      const li = document.createElement('li');
      li.dataset.id = note.id;
      const h = document.createElement('h3');
      h.textContent = note.title;
      const p = document.createElement('p');
      p.textContent = note.body;
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'note-delete';
      del.textContent = 'Delete';
      del.addEventListener('click', () => remove(note.id));
      li.append(h, p, del);
      list.append(li);
    }
    if (notes.length === 0) {
      show('No notes yet.');
    }
  }

  async function load() {
    try {
      render((await call('GET', '/api/notes')).notes);
    } catch (e) {
      show(e.message);
    }
  }

  async function create() {
    const title = document.getElementById('note-title');
    const body = document.getElementById('note-body');
    try {
      await call('POST', '/api/notes', { title: title.value, body: body.value });
      title.value = '';
      body.value = '';
      show('Saved.');
      await load();
    } catch (e) {
      show(e.message);
    }
  }

  async function remove(id) {
    try {
      await call('DELETE', '/api/notes/' + encodeURIComponent(id));
      show('Deleted.');
      await load();
    } catch (e) {
      show(e.message);
    }
  }

  async function signOut() {
    try {
      const response = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF': '1' } });
      const body = response.ok ? await response.json() : {};
      const target = typeof body.logout_url === 'string' && /^(https?:\/\/|\/(?!\/))/.test(body.logout_url) ? body.logout_url : '/';
      window.location.assign(target);
    } catch (e) {
      window.location.assign('/');
    }
  }

  document.getElementById('note-create').addEventListener('click', create);
  document.getElementById('sign-out').addEventListener('click', signOut);
  load();
})();
