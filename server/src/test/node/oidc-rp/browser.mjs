// A person's browser, reduced to what the hosted pages need: fetch with a cookie jar for the
// Latchkey origin, redirects followed by hand, and the hosted forms (sign-in, consent) filled in
// from their own hidden inputs. It stops when a redirect leaves for the relying party.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attributes(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/g)) {
    out[m[1].toLowerCase()] = m[2] === undefined ? '' : decode(m[2]);
  }
  return out;
}

/** The forms of a page: action, method, named inputs (with values) and submit buttons. */
export function parseForms(html) {
  const forms = [];
  for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attributes(f[1]);
    const inputs = [];
    const buttons = [];
    for (const i of f[2].matchAll(/<input\b([^>]*)>/gi)) {
      const at = attributes(i[1]);
      if (at.name) inputs.push({ name: at.name, type: (at.type || 'text').toLowerCase(), value: at.value ?? '' });
    }
    for (const b of f[2].matchAll(/<button\b([^>]*)>/gi)) {
      const at = attributes(b[1]);
      if (at.name) buttons.push({ name: at.name, value: at.value ?? '' });
    }
    forms.push({ action: a.action ?? '', method: (a.method || 'get').toUpperCase(), inputs, buttons });
  }
  return forms;
}

export class Browser {
  /**
   * @param {string} origin the Latchkey origin (cookies are kept and sent for it only)
   * @param {{email: string, password: string}} user who signs in when the sign-in form appears
   */
  constructor(origin, user) {
    this.origin = new URL(origin).origin;
    this.user = user;
    this.cookies = new Map();
    /** The hosted pages this browser was shown, in order ('login', 'consent', 'logout'). */
    this.pages = [];
  }

  async request(url, method = 'GET', form = undefined) {
    const u = new URL(url);
    const headers = {};
    const own = u.origin === this.origin;
    if (own && this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
      if (own) headers.origin = this.origin;
    }
    const res = await fetch(u, { method, headers, body, redirect: 'manual' });
    if (own) {
      for (const sc of res.headers.getSetCookie()) {
        const [pair, ...attrs] = sc.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attrs.some((x) => /^\s*max-age\s*=\s*0\s*$/i.test(x));
        if (value === '' || expired) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return res;
  }

  /**
   * Opens {@code start} and goes on like a person would (redirects, sign-in, consent) until a
   * redirect points at {@code stopPrefix}; returns that URL. Anything else is an error that
   * carries the page it stopped on.
   *
   * @param {{decision?: 'allow'|'deny'}} options what to answer on a consent page
   */
  async navigate(start, stopPrefix, { decision = 'allow' } = {}) {
    let url = new URL(start);
    let method = 'GET';
    let form;
    for (let hop = 0; hop < 20; hop++) {
      const res = await this.request(url, method, form);
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const next = new URL(res.headers.get('location'), url);
        if (next.href.startsWith(stopPrefix)) return next;
        if (next.origin !== this.origin) throw new Error(`redirected to an unexpected place: ${next}`);
        url = next;
        method = 'GET';
        form = undefined;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status} at ${url}:\n${html.slice(0, 2000)}`);
      const f = parseForms(html).find((x) => x.method === 'POST');
      if (!f) throw new Error(`a page without a form at ${url}:\n${html.slice(0, 2000)}`);
      const fields = Object.fromEntries(f.inputs.filter((i) => i.type === 'hidden').map((i) => [i.name, i.value]));
      if (f.inputs.some((i) => i.type === 'password')) {
        this.pages.push('login');
        fields.email = this.user.email;
        fields.password = this.user.password;
      } else if (f.buttons.some((b) => b.name === 'decision')) {
        this.pages.push('consent');
        fields.decision = decision;
      } else {
        throw new Error(`an unexpected form (${f.action}) at ${url}:\n${html.slice(0, 2000)}`);
      }
      url = new URL(f.action, url);
      method = 'POST';
      form = fields;
    }
    throw new Error('too many redirects');
  }
}
