'use client';

import { createGatewayClient, type GatewayClient, type GatewayClientOptions } from '@latchkey/client';
import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import type { LatchkeyUser } from './claims.js';

export { displayName, hasPermission, hasRole } from './claims.js';
export type { LatchkeyUser } from './claims.js';

interface LatchkeyContext {
  readonly user: LatchkeyUser | null;
  readonly gateway: GatewayClient;
}

const Context = createContext<LatchkeyContext | null>(null);

export interface LatchkeyProviderProps {
  /** The user the server rendered with (`await getUser()` in a server component): no client fetch, no flash. */
  readonly user: LatchkeyUser | null;
  /** Options of `@latchkey/client`'s gateway client (default: the page's own origin, `/auth/login`, …). */
  readonly gateway?: Omit<GatewayClientOptions, 'location'>;
  readonly children?: ReactNode;
}

/**
 * Gives client components the user the server already verified, and a gateway client. Put it in the root
 * layout: `<LatchkeyProvider user={await getUser()}>{children}</LatchkeyProvider>`.
 */
export function LatchkeyProvider({ user, gateway, children }: LatchkeyProviderProps): ReactNode {
  const client = useMemo(() => lazyGatewayClient(gateway ?? {}), [gateway]);
  const value = useMemo(() => ({ user, gateway: client }), [user, client]);
  return createElement(Context.Provider, { value }, children);
}

/** The signed-in user, as rendered by the server; `null` when signed out. */
export function useUser(): LatchkeyUser | null {
  return useLatchkey('useUser').user;
}

/**
 * `@latchkey/client`'s gateway client: `fetch` (session cookie, `X-CSRF: 1`, a 401 sends the browser to sign
 * in and back), `logout()`, `loginUrl()`, `me()`.
 */
export function useGateway(): GatewayClient {
  return useLatchkey('useGateway').gateway;
}

/** Shorthand for `useGateway().fetch`. */
export function useLatchkeyFetch(): GatewayClient['fetch'] {
  return useLatchkey('useLatchkeyFetch').gateway.fetch;
}

function useLatchkey(hook: string): LatchkeyContext {
  const value = useContext(Context);
  if (value === null) throw new Error(`${hook}() needs a <LatchkeyProvider> above it (in the root layout)`);
  return value;
}

/**
 * The gateway client is created at its first use, in the browser: during server rendering there is no
 * `location` to return to, and nothing may be fetched.
 */
function lazyGatewayClient(options: Omit<GatewayClientOptions, 'location'>): GatewayClient {
  let client: GatewayClient | undefined;
  const get = (): GatewayClient => {
    if (typeof window === 'undefined') throw new Error('the gateway client is for the browser: call it from effects and event handlers');
    client ??= createGatewayClient(options);
    return client;
  };
  return {
    fetch: (input, init) => get().fetch(input, init),
    me: () => get().me(),
    logout: () => get().logout(),
    loginUrl: () => get().loginUrl(),
  };
}
