import { NextResponse, type NextRequest } from 'next/server';
import { toReturnTo } from '@latchkey/client';
import { current, signInUrl, warnRejected } from './config.js';
import { ASSERTION_HEADER } from './verify.js';

export interface LatchkeyProxyOptions {
  /**
   * Paths anyone may open. An entry matches itself and everything below it (`/docs` matches `/docs` and
   * `/docs/a`, not `/docsx`); `/` matches only `/`. Every other path the `matcher` sends is protected, unless
   * `protectedPaths` is given.
   */
  readonly publicPaths?: readonly string[];
  /** When given, only these paths (same matching) are protected, and everything else is public. */
  readonly protectedPaths?: readonly string[];
}

/**
 * A Next.js `proxy` (Next 16; `middleware` up to Next 15) that lets public paths through and sends a request for
 * a protected path without a valid `Latchkey-Assertion` to the gateway's sign-in: `GET`/`HEAD` get a 303 to
 * `<gateway>/auth/login?returnTo=<path and query>`, other methods a 401 problem document. A valid assertion
 * passes; pages still read the user with `getUser()` (the proxy is a convenience, never the only check).
 *
 * ```ts
 * // proxy.ts (middleware.ts before Next 16)
 * import { latchkeyProxy } from '@latchkey/next/proxy';
 * export const proxy = latchkeyProxy({ publicPaths: ['/', '/about'] });
 * export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
 * ```
 */
export function latchkeyProxy(options: LatchkeyProxyOptions = {}): (request: NextRequest) => Promise<NextResponse> {
  const publicPaths = (options.publicPaths ?? []).map(checkPath);
  const protectedPaths = options.protectedPaths?.map(checkPath);
  return async function proxy(request: NextRequest): Promise<NextResponse> {
    const path = request.nextUrl.pathname;
    const isProtected = protectedPaths !== undefined
      ? protectedPaths.some((p) => matches(p, path))
      : !publicPaths.some((p) => matches(p, path));
    if (!isProtected) return NextResponse.next();
    const { config, verifier } = current();
    const result = await verifier.verify(request.headers.get(ASSERTION_HEADER));
    if (result.ok) return NextResponse.next();
    warnRejected(result);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const returnTo = toReturnTo(path + request.nextUrl.search);
      return NextResponse.redirect(signInUrl(config, returnTo), 303);
    }
    return NextResponse.json(
      { type: 'about:blank', title: 'Unauthenticated', status: 401, code: 'unauthenticated', detail: 'Sign in first.' },
      { status: 401, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' } },
    );
  };
}

/** Whether `path` is `prefix` or below it, by whole segments; `/` matches only itself. */
export function matches(prefix: string, path: string): boolean {
  if (prefix === '/') return path === '/';
  const p = prefix.replace(/\/+$/, '');
  return path === p || path.startsWith(p + '/');
}

function checkPath(p: string): string {
  if (!p.startsWith('/')) throw new TypeError(`latchkeyProxy: paths start with '/', got ${JSON.stringify(p)}`);
  return p;
}
