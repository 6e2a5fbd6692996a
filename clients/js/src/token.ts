import { LatchkeyError, errorFromResponse, isObject } from './error.js';
import { createFirstPartyApi, type TokenGrant } from './first-party-api.js';
import { defaultFetch, discard, isRequest, resolve, withHeaders, type FetchLike } from './http.js';
import {
  browserBroadcastChannel,
  browserLocks,
  createTabs,
  type BroadcastChannelFactory,
  type LockManagerLike,
  type TabMessage,
} from './tabs.js';
import type { Claims } from './gateway.js';

export interface TokenClientOptions {
  /** Origin (and path prefix) of the Latchkey server; `''` means the page's own origin. */
  readonly baseUrl: string;
  /** Where the first-party session API is mounted; default `/api/auth`. */
  readonly apiPath?: string;
  readonly fetch?: FetchLike;
  /** For the refresh cookie; default `'include'` (works same-origin and cross-origin). */
  readonly credentials?: RequestCredentials;
  /**
   * Called once when the session is over: the server refused the refresh (401), a call failed
   * with 401 again after a fresh token, or another tab logged out or lost the session.
   */
  readonly onSessionEnded?: (error: LatchkeyError) => void;
  /** Name of the Web Lock and of the BroadcastChannel shared by the tabs; default `latchkey-refresh`. */
  readonly lockName?: string;
  /** Refresh ahead of expiry by this many seconds (at most half the lifetime); default 30. */
  readonly refreshBeforeExpirySeconds?: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /** Default `navigator.locks`; `null` turns cross-tab locking off. */
  readonly locks?: LockManagerLike | null;
  /** Default the global `BroadcastChannel`; `null` turns token sharing between tabs off. */
  readonly BroadcastChannel?: BroadcastChannelFactory | null;
}

export interface TokenClient {
  /**
   * Signs in with a password; the server sets the HttpOnly refresh cookie. When the account has a
   * second factor it rejects with `code` `mfa_required`: read the challenge with `mfaChallenge(error)`
   * and finish with {@link completeMfa}.
   */
  login(email: string, password: string): Promise<void>;
  /**
   * Finishes a sign-in with a second factor (`totp` or `recovery_code` and its code). A wrong or
   * replayed code rejects with `mfa_code_invalid`/`mfa_code_replayed` and a fresh challenge in the error.
   */
  completeMfa(challenge: string, factor: string, code: string): Promise<void>;
  /** Forgets the token here and in the other tabs, then ends the server session. */
  logout(): Promise<void>;
  /**
   * `fetch` with `Authorization: Bearer`. On 401 it refreshes (one refresh shared by all
   * concurrent calls) and retries once; a second 401 ends the session and rejects.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The current access token, refreshed first when close to expiry; `null` when signed out. */
  getAccessToken(): Promise<string | null>;
  /** Gets a new access token from the refresh cookie, e.g. to restore the session on page load. */
  refresh(): Promise<string>;
  /** `GET /api/auth/me` with the access token. */
  me<C extends object = Claims>(): Promise<C>;
  /** Stops listening to the other tabs. */
  close(): void;
}

interface AccessToken {
  readonly value: string;
  readonly expiresAt: number;
  readonly refreshAt: number;
}

/**
 * How long a tab that waited for another tab's refresh waits for that tab's broadcast before
 * refreshing itself: the lock and the channel are independent, so the lock may come first.
 */
const ADOPT_WAIT_MS = 1000;

/**
 * A refresh asked for this soon after another tab's fresh token arrived adopts that token instead of
 * refreshing again: the other tab's refresh may have finished (and released the lock) before this one
 * began, so neither the lock nor a version change since the call tells that it just happened.
 */
const ADOPT_FRESH_MS = 1000;

/**
 * Pauses before repeating a refresh whose answer never came (the connection failed, or a proxy answered
 * 502, 503 or 504). The server may have rotated the cookie's token already, and the browser kept the old
 * cookie: repeated at once, well inside the server's grace window, it gets the same successor again;
 * repeated only at the next refresh, minutes later, it would be taken for a stolen token's replay.
 */
const REFRESH_REPEAT_DELAYS_MS = [50, 250];

/** Client for the token-in-memory pattern: the access token lives only in this closure. */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  const baseUrl = options.baseUrl;
  const apiPath = options.apiPath ?? '/api/auth';
  const send = options.fetch ?? defaultFetch();
  const now = options.now ?? Date.now;
  const leewayMs = (options.refreshBeforeExpirySeconds ?? 30) * 1000;
  const api = createFirstPartyApi(baseUrl, apiPath, send, options.credentials ?? 'include');
  const tabs = createTabs(
    options.lockName ?? 'latchkey-refresh',
    options.locks !== undefined ? options.locks : browserLocks(),
    options.BroadcastChannel !== undefined ? options.BroadcastChannel : browserBroadcastChannel(),
    onTabMessage,
  );

  let token: AccessToken | null = null;
  /** Bumped whenever `token` changes, so a refresh can tell that another tab already refreshed. */
  let version = 0;
  /** Bumped when the session ends on purpose (logout here or in another tab): late refreshes are dropped. */
  let epoch = 0;
  let inflight: Promise<string> | null = null;
  /** onSessionEnded has been called and no token has arrived since. */
  let ended = false;
  /** When the current token arrived from another tab (null: this tab got it itself, or there is none). */
  let fromTabAt: number | null = null;

  function setToken(next: AccessToken, announce: boolean): void {
    token = next;
    version++;
    fromTabAt = announce ? null : now();
    ended = false;
    if (announce) tabs.publish({ type: 'token', accessToken: next.value, expiresAt: next.expiresAt, refreshAt: next.refreshAt });
  }

  function fromGrant(grant: TokenGrant): AccessToken {
    const receivedAt = now();
    const lifetimeMs = grant.expiresIn * 1000;
    return {
      value: grant.accessToken,
      expiresAt: receivedAt + lifetimeMs,
      refreshAt: receivedAt + Math.max(lifetimeMs - leewayMs, lifetimeMs / 2),
    };
  }

  function endSession(error: LatchkeyError): void {
    token = null;
    version++;
    if (ended) return;
    ended = true;
    try {
      options.onSessionEnded?.(error);
    } catch (callbackError) {
      queueMicrotask(() => {
        throw callbackError;
      });
    }
  }

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'token') {
      if (token === null || message.expiresAt > token.expiresAt) {
        setToken({ value: message.accessToken, expiresAt: message.expiresAt, refreshAt: message.refreshAt }, false);
      }
      return;
    }
    epoch++;
    // A tab that holds no session has nothing to end; its refresh in flight, if any, is dropped.
    if (token === null && inflight === null) return;
    endSession(new LatchkeyError('the session ended in another tab', 401, message.code));
  }

  function refresh(): Promise<string> {
    inflight ??= refreshOnce().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  function refreshOnce(): Promise<string> {
    const startVersion = version;
    const justArrived = (): boolean => fromTabAt !== null && now() - fromTabAt < ADOPT_FRESH_MS;
    const adopted = (): string | null =>
      (version !== startVersion || justArrived()) && token !== null && now() < token.refreshAt ? token.value : null;
    return tabs.exclusive(async (contended) => {
      if (contended) await tabs.waitForMessage(() => version !== startVersion, ADOPT_WAIT_MS);
      const other = adopted();
      if (other !== null) return other;
      const startEpoch = epoch;
      let grant: TokenGrant;
      try {
        grant = await refreshFromCookie();
      } catch (error) {
        if (error instanceof LatchkeyError && error.status === 401 && epoch === startEpoch) {
          endSession(error);
          tabs.publish({ type: 'ended', code: error.code });
        }
        throw error;
      }
      if (epoch !== startEpoch) throw new LatchkeyError('logged out during refresh', 401, 'logged_out');
      const next = fromGrant(grant);
      setToken(next, true);
      return next.value;
    });
  }

  /**
   * `POST /refresh`, once more if the answer is 409 `refresh_token_stale`: this request was overtaken
   * by a newer refresh (sent late, or by a tab that did not share the lock), whose cookie the browser
   * now holds. The session is not over; the second request sends that newer cookie.
   */
  async function refreshFromCookie(): Promise<TokenGrant> {
    try {
      return await refreshRepeatingLostAnswers();
    } catch (error) {
      if (error instanceof LatchkeyError && error.code === 'refresh_token_stale') return refreshRepeatingLostAnswers();
      throw error;
    }
  }

  /** `POST /refresh`, repeated at once (REFRESH_REPEAT_DELAYS_MS) while its answer is lost on the way. */
  async function refreshRepeatingLostAnswers(): Promise<TokenGrant> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.refresh();
      } catch (error) {
        const delay = REFRESH_REPEAT_DELAYS_MS[attempt];
        if (delay === undefined || !answerLost(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function getAccessToken(): Promise<string | null> {
    if (token === null) return inflight;
    if (now() < token.refreshAt) return token.value;
    try {
      return await refresh();
    } catch (error) {
      // A failed refresh that did not end the session (network, 5xx) leaves a still valid token usable.
      if (token !== null && now() < token.expiresAt) return token.value;
      throw error;
    }
  }

  /** The token to retry with after `used` got a 401: one that arrived meanwhile, or a refreshed one. */
  function tokenAfter401(used: string | null): Promise<string> {
    if (inflight !== null) return inflight;
    if (token !== null && token.value !== used) return Promise.resolve(token.value);
    return refresh();
  }

  function call(input: RequestInfo | URL, init: RequestInit | undefined, accessToken: string | null): Promise<Response> {
    const auth: Record<string, string> = accessToken === null ? {} : { Authorization: `Bearer ${accessToken}` };
    return send(input, withHeaders(input, init, auth));
  }

  async function authorizedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const target = resolve(baseUrl, input);
    // A Request's body can be read once; keep a copy for the retry.
    const retryTarget = isRequest(target) ? target.clone() : target;
    const used = await getAccessToken();
    const first = await call(target, init, used);
    if (first.status !== 401) return first;
    await discard(first);
    const fresh = await tokenAfter401(used);
    const second = await call(retryTarget, init, fresh);
    if (second.status !== 401) return second;
    const error = await errorFromResponse(second, 'unauthenticated');
    if (token?.value === fresh) endSession(error);
    throw error;
  }

  return {
    async login(email, password) {
      const next = fromGrant(await api.login(email, password));
      setToken(next, true);
    },
    async completeMfa(challenge, factor, code) {
      const next = fromGrant(await api.completeMfa(challenge, factor, code));
      setToken(next, true);
    },
    async logout() {
      const last = token?.value;
      epoch++;
      token = null;
      version++;
      ended = true;
      tabs.publish({ type: 'ended', code: 'logged_out' });
      await api.logout(last);
    },
    fetch: authorizedFetch,
    getAccessToken,
    refresh,
    async me<C extends object = Claims>(): Promise<C> {
      const response = await authorizedFetch(apiPath + '/me', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw await errorFromResponse(response, 'http_error');
      const body: unknown = await response.json();
      if (!isObject(body)) throw new LatchkeyError('me: expected a JSON object', response.status, 'invalid_response');
      return body as C;
    },
    close: () => tabs.close(),
  };
}

/**
 * The refresh may have been handled without its answer reaching this browser: the request failed on the network, or
 * 502/503/504 came back (a proxy in front, or a server that is restarting or could not reach its database).
 */
function answerLost(error: unknown): boolean {
  if (error instanceof LatchkeyError) return error.status === 502 || error.status === 503 || error.status === 504;
  return error instanceof TypeError; // fetch rejects with a TypeError when the connection fails
}
