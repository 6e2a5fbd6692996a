import type { FetchLike } from '../../dist/index.js';

/** One request as the injected fetch saw it. */
export interface SentRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly credentials: RequestCredentials | undefined;
}

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

/**
 * A browser's cookie behaviour, as far as these tests need it: Node's fetch keeps no cookies.
 * One jar for one host; honours Path and Max-Age=0; records every request it sends.
 */
export class CookieFetch {
  readonly jar = new Map<string, StoredCookie>();
  readonly sent: SentRequest[] = [];

  readonly fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    const cookie = [...this.jar]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : c.path + '/'))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    if (cookie !== '') headers.set('cookie', cookie);
    this.sent.push({
      url: request.url,
      method: request.method,
      headers: new Headers(request.headers),
      credentials: init?.credentials ?? (input instanceof Request ? input.credentials : undefined),
    });
    const response = await fetch(request, { headers });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  };

  set(name: string, value: string, path = '/'): void {
    this.jar.set(name, { value, path });
  }

  value(name: string): string | undefined {
    return this.jar.get(name)?.value;
  }

  sentTo(pathname: string): SentRequest[] {
    return this.sent.filter((r) => new URL(r.url).pathname === pathname);
  }

  private store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = '/';
    let remove = value === '';
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = val;
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) remove = true;
    }
    if (remove) this.jar.delete(name);
    else this.jar.set(name, { value, path });
  }
}
