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

  // present only when the app can share (it has relation credentials)
  const me = (document.getElementById('user-id') || {}).textContent || '';
  const sharing = me !== '';

  // The owner's sharing controls: who the note is shared with, and a form to share it (user:<id> or group:<name>).
  async function renderShares(note, box) {
    box.replaceChildren();
    let shares = [];
    try {
      shares = (await call('GET', '/api/notes/' + encodeURIComponent(note.id) + '/shares')).shares;
    } catch (e) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = e.message;
      box.append(p);
      return;
    }
    const ul = document.createElement('ul');
    ul.className = 'note-shares';
    for (const s of shares) {
      const li = document.createElement('li');
      li.textContent = s.with + ' (' + s.relation + ') ';
      const un = document.createElement('button');
      un.type = 'button';
      un.className = 'note-unshare';
      un.textContent = 'Remove';
      un.addEventListener('click', () => changeShare('DELETE', note, s.with, s.relation, box));
      li.append(un);
      ul.append(li);
    }
    const input = document.createElement('input');
    input.className = 'share-with';
    input.placeholder = 'user:<id> or group:<name>';
    input.setAttribute('aria-label', 'Share with');
    const select = document.createElement('select');
    select.className = 'share-relation';
    select.setAttribute('aria-label', 'Relation');
    for (const r of ['viewer', 'editor']) {
      const o = document.createElement('option');
      o.value = r;
      o.textContent = r;
      select.append(o);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'note-share';
    button.textContent = 'Share';
    button.addEventListener('click', () => changeShare('PUT', note, input.value.trim(), select.value, box));
    box.append(ul, input, select, button);
  }

  async function changeShare(method, note, who, relation, box) {
    try {
      await call(method, '/api/notes/' + encodeURIComponent(note.id) + '/shares', { with: who, relation: relation });
      show(method === 'PUT' ? 'Shared.' : 'Share removed.');
      await renderShares(note, box);
    } catch (e) {
      show(e.message);
    }
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
      li.append(h, p);
      const orgNote = note.visibility === 'org';
      if (orgNote) {
        li.className = 'note-org';
        const tag = document.createElement('p');
        tag.className = 'muted note-org-tag';
        tag.textContent = 'Organization note';
        li.append(tag);
      }
      if (orgNote || !sharing || note.owner_id === me) {
        li.append(del);
      }
      if (orgNote) {
        // an organization's note is for its members; writing it needs notes:write, which the API checks
      } else if (sharing && note.owner_id === me) {
        const box = document.createElement('div');
        box.className = 'note-sharing';
        li.append(box);
        renderShares(note, box);
      } else if (sharing) {
        const by = document.createElement('p');
        by.className = 'muted note-shared-by';
        by.textContent = 'From user:' + note.owner_id;
        li.append(by);
      }
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
      const visibility = document.getElementById('note-visibility');
      const note = { title: title.value, body: body.value };
      if (visibility && visibility.value === 'org') {
        note.visibility = 'org';
      }
      await call('POST', '/api/notes', note);
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

  // The organization bar: the current organization's name and a form (a plain POST to the gateway's /auth/org,
  // same origin, answered 303 back here) to switch to another of the user's organizations.
  async function loadOrganizations() {
    const bar = document.getElementById('org-bar');
    if (!bar) {
      return;
    }
    let orgs;
    try {
      orgs = (await call('GET', '/auth/orgs')).orgs;
    } catch (e) {
      show(e.message);
      return;
    }
    const current = orgs.find((o) => o.current) || orgs.find((o) => o.id === bar.dataset.org);
    if (current) {
      document.getElementById('org-name').textContent = current.name;
      document.getElementById('org-name').title = current.slug;
    }
    const select = document.getElementById('org-select');
    select.replaceChildren();
    for (const o of orgs) {
      if (current && o.id === current.id) {
        continue;
      }
      const option = document.createElement('option');
      option.value = o.id;
      option.textContent = o.name + ' (' + o.slug + ')';
      select.append(option);
    }
    document.getElementById('org-switch').hidden = select.options.length === 0;
  }

  document.getElementById('note-create').addEventListener('click', create);
  loadOrganizations();
  document.getElementById('sign-out').addEventListener('click', signOut);
  load();
})();
