import { LatchkeyError, errorFromResponse, isObject } from './error.js';
import { CSRF_HEADER, defaultFetch, discard, resolve, withHeaders, type FetchLike } from './http.js';
import { browserLocation, currentReturnTo, loginUrl, type LocationLike } from './return-to.js';

export interface GatewayClientOptions {
  /** Origin (and path prefix) of the gateway; `''` (the default) means the page's own origin. */
  readonly baseUrl?: string;
  /** Default `/auth/login`. */
  readonly loginPath?: string;
  /** Default `/auth/me`. */
  readonly mePath?: string;
  /** Default `/auth/logout`. */
  readonly logoutPath?: string;
  /** Default `'same-origin'`, or `'include'` when `baseUrl` is another origin than the page. */
  readonly credentials?: RequestCredentials;
  /** Called once per run of 401 answers with the login URL; default `location.assign(loginUrl)`. */
  readonly onUnauthenticated?: (loginUrl: string) => void;
  readonly fetch?: FetchLike;
  /** Default `window.location`. */
  readonly location?: LocationLike;
}

/** What `GET /auth/me` answers: the signed-in user's claims. */
export interface Claims {
  readonly sub: string;
  readonly [claim: string]: unknown;
}

export interface LogoutResult {
  /** The identity provider's end-session URL, already navigated to when present. */
  readonly logoutUrl?: string;
}

export interface GatewayClient {
  /**
   * `fetch` for the gateway: sends the session cookie and `X-CSRF: 1`. On 401 it navigates
   * to the login page (once, however many calls fail together) and rejects with a
   * {@link LatchkeyError}; it never retries.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The signed-in user's claims, or `null` when there is no session. Never navigates. */
  me<C extends object = Claims>(): Promise<C | null>;
  /** Ends the gateway session; navigates to the provider's `logout_url` when the gateway sends one. */
  logout(): Promise<LogoutResult>;
  /** The login URL that returns to the current page, e.g. for a "Sign in" link. */
  loginUrl(): string;
}

/** Client for the gateway (BFF) pattern: the browser holds only the gateway's HttpOnly cookie. */
export function createGatewayClient(options: GatewayClientOptions = {}): GatewayClient {
  const baseUrl = options.baseUrl ?? '';
  const loginPath = options.loginPath ?? '/auth/login';
  const mePath = options.mePath ?? '/auth/me';
  const logoutPath = options.logoutPath ?? '/auth/logout';
  const location = options.location ?? browserLocation();
  const send = options.fetch ?? defaultFetch();
  const credentials = options.credentials ?? defaultCredentials(baseUrl, location);
  const onUnauthenticated = options.onUnauthenticated ?? ((url: string) => location?.assign(url));
  let redirecting = false;

  const currentLoginUrl = () => loginUrl(baseUrl, loginPath, currentReturnTo(location));

  function call(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = withHeaders(input, { credentials, ...init }, { [CSRF_HEADER]: '1' });
    return send(resolve(baseUrl, input), request);
  }

  async function gatewayFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const response = await call(input, init);
    if (response.status !== 401) {
      redirecting = false;
      return response;
    }
    const error = await errorFromResponse(response, 'unauthenticated');
    if (!redirecting) {
      redirecting = true;
      onUnauthenticated(currentLoginUrl());
    }
    throw error;
  }

  async function me<C extends object = Claims>(): Promise<C | null> {
    const response = await call(mePath, { headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      await discard(response);
      return null;
    }
    if (!response.ok) throw await errorFromResponse(response, 'http_error');
    const body: unknown = await response.json();
    if (!isObject(body)) throw new LatchkeyError('me: expected a JSON object', response.status, 'invalid_response');
    return body as C;
  }

  async function logout(): Promise<LogoutResult> {
    const response = await call(logoutPath, { method: 'POST', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      await discard(response);
      return {};
    }
    if (!response.ok) throw await errorFromResponse(response, 'http_error');
    const body: unknown = await response.json().catch(() => undefined);
    const logoutUrl = isObject(body) && typeof body['logout_url'] === 'string' ? body['logout_url'] : undefined;
    if (logoutUrl === undefined || !isNavigable(logoutUrl)) return {};
    location?.assign(logoutUrl);
    return { logoutUrl };
  }

  return { fetch: gatewayFetch, me, logout, loginUrl: currentLoginUrl };
}

function defaultCredentials(baseUrl: string, location: LocationLike | undefined): RequestCredentials {
  if (!/^https?:\/\//i.test(baseUrl)) return 'same-origin';
  return location !== undefined && new URL(baseUrl).origin === location.origin ? 'same-origin' : 'include';
}

/** Only http(s) URLs and same-origin paths: never `javascript:` or `data:` from a response body. */
function isNavigable(url: string): boolean {
  return /^https?:\/\//i.test(url) || (url.startsWith('/') && !/^\/[/\\]/.test(url));
}
