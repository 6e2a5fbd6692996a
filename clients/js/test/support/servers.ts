import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** A request as the imitation server received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly status: number;
}

type Handler = (request: Received) => Promise<Answer> | Answer;

interface Answer {
  readonly status: number;
  /** The request was handled, but the connection breaks before the answer is sent (a dropped connection). */
  readonly drop?: boolean;
  readonly body?: unknown;
  readonly headers?: Record<string, string | string[]>;
}

/** A server on 127.0.0.1 with a random port that records every request. */
abstract class ImitationServer {
  readonly received: Received[] = [];
  url = '';
  private readonly server: Server = createServer((req, res) => void this.serve(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests to `path`, optionally only those answered with `status`. */
  to(path: string, status?: number): Received[] {
    return this.received.filter((r) => r.path === path && (status === undefined || r.status === status));
  }

  protected abstract handle(request: Received): Promise<Answer> | Answer;

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const partial = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const answer = await this.handle({ ...partial, status: 0 });
    this.received.push({ ...partial, status: answer.status });
    if (answer.drop === true) {
      res.socket?.destroy();
      return;
    }
    const isProblem = answer.status >= 400;
    res.writeHead(answer.status, {
      'content-type': isProblem ? 'application/problem+json' : 'application/json',
      'cache-control': 'no-store',
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}

export function problem(status: number, code: string, title = code): Answer {
  return { status, body: { type: 'about:blank', title, status, code } };
}

export function cookies(request: Received): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

const random = () => randomBytes(16).toString('base64url');

/**
 * Imitates the Latchkey server's first-party session API (`/api/auth/*`) plus one protected
 * API (`/api/notes`, and `/api/slow` which answers after 60 ms): one user, one refresh-token family whose cookie rotates on every refresh.
 */
export class FakeLatchkey extends ImitationServer {
  static readonly email = 'ada@example.com';
  static readonly password = 'correct horse battery staple';

  accessTtlSeconds = 300;
  refreshDelayMs = 0;
  /** When set, `/refresh` answers 401 with this problem code. */
  refuseRefreshWith: string | null = null;
  /** When set, `/refresh` answers with this status (e.g. 503) and no token. */
  refreshOutage: number | null = null;
  /** How many of the next `/refresh` requests are handled (the token rotates) but lose their answer on the way back. */
  dropRefreshAnswers = 0;
  /** The protected API answers 401 even to fresh tokens (a user disabled mid-session). */
  rejectEveryToken = false;
  /** Every access token issued so far; `expireAccessTokens()` empties it. */
  readonly validAccessTokens = new Set<string>();
  /**
   * As the real server's `tokens.refresh_grace`: a token replaced less than this long ago is never a
   * reuse; the one just replaced gets the same successor again, an older one 409 `refresh_token_stale`.
   */
  refreshGraceMs = 10_000;
  private currentRefresh: string | null = null;
  /** Each replaced refresh token: the token that replaced it, and when. */
  private readonly rotatedRefresh = new Map<string, { readonly successor: string; readonly at: number }>();
  private held: { readonly arrived: () => void; readonly released: Promise<void> } | null = null;

  /**
   * Holds the next `/refresh` on its way in, as a slow network or a proxy would: it is handled, with
   * the cookie it was sent with, only after `release()`. `arrived` resolves once it has reached the server.
   */
  holdNextRefresh(): { readonly arrived: Promise<void>; readonly release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.held = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: arrival, release };
  }

  /** The server-side clock passes every token's expiry; clients still hold them. */
  expireAccessTokens(): void {
    this.validAccessTokens.clear();
  }

  protected async handle(request: Received): Promise<Answer> {
    const route = `${request.method} ${request.path}`;
    switch (route) {
      case 'POST /api/auth/login':
        return this.login(request);
      case 'POST /api/auth/refresh':
        return this.refresh(request);
      case 'POST /api/auth/logout':
        return this.logout(request);
      case 'GET /api/auth/me':
        return this.authorized(request, () => ({ status: 200, body: { sub: 'user-1', email: FakeLatchkey.email } }));
      case 'GET /api/notes':
        return this.authorized(request, () => ({ status: 200, body: { notes: ['first'] } }));
      case 'GET /api/slow':
        await new Promise((resolve) => setTimeout(resolve, 60));
        return this.authorized(request, () => ({ status: 200, body: { slow: true } }));
      case 'POST /api/notes':
        return this.authorized(request, () => ({ status: 201, body: { received: request.body } }));
      default:
        return problem(404, 'not_found');
    }
  }

  private login(request: Received): Answer {
    const body = JSON.parse(request.body || '{}') as { email?: string; password?: string };
    if (body.email !== FakeLatchkey.email || body.password !== FakeLatchkey.password) {
      return problem(401, 'invalid_credentials', 'Wrong email or password');
    }
    this.currentRefresh = random();
    return this.grant(this.currentRefresh);
  }

  private async refresh(request: Received): Promise<Answer> {
    const held = this.held;
    if (held !== null) {
      this.held = null;
      held.arrived();
      await held.released;
    }
    const answer = this.rotate(request);
    if (this.dropRefreshAnswers > 0) {
      this.dropRefreshAnswers--;
      return { ...answer, drop: true };
    }
    // Slow on the way back: the rotation is done, the answer is still travelling.
    if (this.refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
    return answer;
  }

  private rotate(request: Received): Answer {
    if (request.headers['x-csrf'] !== '1') return problem(403, 'csrf_header_missing');
    if (!String(request.headers['content-type']).startsWith('application/json') || request.body !== '{}') {
      return problem(400, 'invalid_request');
    }
    if (this.refreshOutage !== null) return problem(this.refreshOutage, 'temporarily_unavailable');
    if (this.refuseRefreshWith !== null) return problem(401, this.refuseRefreshWith, 'Your session has ended');
    const presented = cookies(request).get('lk_refresh');
    if (presented === undefined) return problem(401, 'refresh_token_invalid');
    const replaced = this.rotatedRefresh.get(presented);
    if (replaced !== undefined) {
      if (Date.now() - replaced.at >= this.refreshGraceMs) return problem(401, 'refresh_token_reused');
      if (replaced.successor === this.currentRefresh) return this.grant(replaced.successor);
      return problem(409, 'refresh_token_stale', 'This refresh token was replaced by a newer one moments ago');
    }
    if (presented !== this.currentRefresh) return problem(401, 'refresh_token_invalid');
    this.currentRefresh = random();
    this.rotatedRefresh.set(presented, { successor: this.currentRefresh, at: Date.now() });
    return this.grant(this.currentRefresh);
  }

  private logout(request: Received): Answer {
    if (request.headers['x-csrf'] !== '1') return problem(403, 'csrf_header_missing');
    this.currentRefresh = null;
    return { status: 200, body: {}, headers: { 'set-cookie': 'lk_refresh=; Path=/api/auth; Max-Age=0; HttpOnly' } };
  }

  private grant(refreshToken: string): Answer {
    const accessToken = `at-${random()}`;
    this.validAccessTokens.add(accessToken);
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTtlSeconds },
      headers: { 'set-cookie': `lk_refresh=${refreshToken}; Path=/api/auth; HttpOnly; SameSite=Strict` },
    };
  }

  private authorized(request: Received, ok: () => Answer): Answer {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || this.rejectEveryToken || !this.validAccessTokens.has(presented)) {
      return { ...problem(401, 'invalid_token'), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
    }
    return ok();
  }
}

/** Imitates the gateway (BFF): `/auth/*` plus the proxied `/api/**`, with a cookie session. */
export class FakeGateway extends ImitationServer {
  static readonly logoutUrl = 'https://idp.example/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F';
  private readonly sessions = new Set<string>();

  /** Creates a session as a finished login would; returns the cookie value. */
  signIn(): string {
    const id = random();
    this.sessions.add(id);
    return id;
  }

  protected handle(request: Received): Answer {
    const session = cookies(request).get('lk_gw');
    const signedIn = session !== undefined && this.sessions.has(session);
    const stateChanging = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (stateChanging && request.headers['x-csrf'] !== '1') return problem(403, 'csrf_header_missing');
    if (request.method === 'POST' && request.path === '/auth/logout') {
      if (session !== undefined) this.sessions.delete(session);
      return {
        status: 200,
        body: { logout_url: FakeGateway.logoutUrl },
        headers: { 'set-cookie': 'lk_gw=; Path=/; Max-Age=0; HttpOnly' },
      };
    }
    if (!signedIn) return problem(401, 'session_expired', 'Your login has expired');
    if (request.method === 'GET' && request.path === '/auth/me') return { status: 200, body: { sub: 'user-1', name: 'Ada' } };
    if (request.path.startsWith('/api/')) return { status: 200, body: { method: request.method, path: request.path } };
    return problem(404, 'not_found');
  }
}
