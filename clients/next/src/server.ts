import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { hasPermission, hasRole, type LatchkeyUser } from './claims.js';
import { current, signInUrl, warnRejected } from './config.js';
import { ASSERTION_HEADER, type Verification } from './verify.js';

export { configureLatchkey } from './config.js';

/**
 * The signed-in user of this request, from the gateway's `Latchkey-Assertion` header, verified (signature
 * against the gateway's JWKS, ES256 only, `iss`, `aud`, `exp`); `null` when the header is missing or fails any
 * check. For server components, route handlers and server actions; memoized per request.
 * Throws `KeysUnavailableError` when the gateway's keys cannot be fetched.
 */
export const getUser: () => Promise<LatchkeyUser | null> = cache(async () => {
  const result = await verifyRequest();
  return result.ok ? result.user : null;
});

/** What {@link getUser} decided, with the reason when there is no user (for logs and tests). */
export async function verifyRequest(): Promise<Verification> {
  const h = await headers();
  const result = await current().verifier.verify(h.get(ASSERTION_HEADER));
  warnRejected(result);
  return result;
}

export interface RequireUserOptions {
  /** Where to come back after sign-in (a same-origin path); default `LATCHKEY_DEFAULT_RETURN_TO` or `/`. */
  readonly returnTo?: string;
  /** A role the user must have (in the session's organization). */
  readonly role?: string;
  /** A permission the user must have. */
  readonly permission?: string;
  /**
   * Called when the user lacks `role` or `permission`; default Next's `forbidden()` (403, `app/forbidden.tsx`),
   * which needs `experimental.authInterrupts` in `next.config`. Pass e.g. `() => notFound()` otherwise.
   */
  readonly onForbidden?: () => never;
}

/**
 * The signed-in user, or a redirect to the gateway's sign-in (`/auth/login?returnTo=…`) when there is none;
 * with `role`/`permission`, a 403 when the user lacks it.
 */
export async function requireUser(options: RequireUserOptions = {}): Promise<LatchkeyUser> {
  const user = await getUser();
  const { config } = current();
  if (user === null) redirect(signInUrl(config, options.returnTo ?? config.defaultReturnTo));
  const allowed = (options.role === undefined || hasRole(user, options.role))
    && (options.permission === undefined || hasPermission(user, options.permission));
  if (!allowed) (options.onForbidden ?? forbidden)();
  return user;
}

/** The gateway's sign-in URL returning to `returnTo` (made a same-origin path first). */
export function signInHref(returnTo: string): string {
  return signInUrl(current().config, returnTo);
}

/**
 * The access token the gateway relayed on a request to one of its API routes (`Authorization: Bearer …`), for a
 * route handler mounted behind such a route (`LATCHKEY_GATEWAY_ROUTES=/api/bff=http://next:3000`) that calls
 * further APIs as the user: server-side token relay. Pass it on only to APIs that verify it, never to the
 * browser. `null` without one. It is not verified here: the API it is sent to does that.
 */
export function relayedAccessToken(request: Request): string | null {
  const value = request.headers.get('authorization');
  const match = value === null ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(value);
  return match?.[1] ?? null;
}
