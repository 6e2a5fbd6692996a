import { LatchkeyError, errorFromResponse, isObject } from './error.js';
import { CSRF_HEADER, discard, join, type FetchLike } from './http.js';

/** A successful answer of `POST /api/auth/login` or `/refresh`. */
export interface TokenGrant {
  readonly accessToken: string;
  /** Seconds, counted from when the answer arrived. */
  readonly expiresIn: number;
}

/** The Latchkey server's first-party session API (`/api/auth/*`), one call per endpoint. */
export interface FirstPartyApi {
  login(email: string, password: string): Promise<TokenGrant>;
  /** `POST /api/auth/mfa`: continues a sign-in that answered `mfa_required` with one of its factors. */
  completeMfa(challenge: string, factor: string, code: string): Promise<TokenGrant>;
  /**
   * Rotates the HttpOnly refresh cookie. Rejects with status 401 when the session is over, and with
   * 409 `refresh_token_stale` when a newer refresh overtook this one (the session continues).
   */
  refresh(): Promise<TokenGrant>;
  /** Ends the server session; an answer of 401 (already ended) counts as success. */
  logout(accessToken: string | undefined): Promise<void>;
}

export function createFirstPartyApi(
  baseUrl: string,
  apiPath: string,
  send: FetchLike,
  credentials: RequestCredentials,
): FirstPartyApi {
  function post(endpoint: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
    return send(join(baseUrl, apiPath + endpoint), {
      method: 'POST',
      credentials,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', [CSRF_HEADER]: '1', ...headers },
      body: JSON.stringify(body),
    });
  }

  return {
    async login(email, password) {
      return grantFrom(await post('/login', { email, password }));
    },
    async completeMfa(challenge, factor, code) {
      return grantFrom(await post('/mfa', { challenge, factor, code }));
    },
    async refresh() {
      return grantFrom(await post('/refresh', {}));
    },
    async logout(accessToken) {
      const response = await post('/logout', {}, accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` });
      if (response.ok || response.status === 401) return discard(response);
      throw await errorFromResponse(response, 'http_error');
    },
  };
}

async function grantFrom(response: Response): Promise<TokenGrant> {
  if (!response.ok) throw await errorFromResponse(response, response.status === 401 ? 'unauthenticated' : 'http_error');
  const body: unknown = await response.json().catch(() => undefined);
  if (
    isObject(body) &&
    typeof body['access_token'] === 'string' &&
    body['access_token'] !== '' &&
    typeof body['token_type'] === 'string' &&
    body['token_type'].toLowerCase() === 'bearer' &&
    typeof body['expires_in'] === 'number' &&
    Number.isFinite(body['expires_in']) &&
    body['expires_in'] > 0
  ) {
    return { accessToken: body['access_token'], expiresIn: body['expires_in'] };
  }
  throw new LatchkeyError('token answer lacks access_token, token_type Bearer or expires_in', response.status, 'invalid_response');
}
