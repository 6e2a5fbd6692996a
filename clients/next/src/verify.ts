import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ClaimError, userFromClaims, type LatchkeyUser } from './claims.js';

/** The header the gateway adds to every request it proxies to the frontend (and removes from the browser's). */
export const ASSERTION_HEADER = 'latchkey-assertion';

/** The only algorithm the gateway signs with; anything else (`none`, HS256 with the public key…) is refused. */
export const ASSERTION_ALGORITHM = 'ES256';

/** At most this much clock skew is accepted: the assertion lives 60 s. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;

/** An assertion issued (`iat`) longer ago than this is refused whatever its `exp` says; the gateway's live 60 s. */
export const MAX_ASSERTION_AGE_SECONDS = 300;

const MAX_ASSERTION_LENGTH = 8192;

export interface AssertionVerifierOptions {
  /** The gateway's public URL (`LATCHKEY_GATEWAY_PUBLIC_URL`): the assertion's `iss`, exactly. */
  readonly issuer: string;
  /** The assertion's `aud` (`LATCHKEY_GATEWAY_ASSERTION_AUDIENCE`); default `latchkey-app`. */
  readonly audience?: string;
  /** Where the gateway's keys are; default `<issuer>/auth/jwks.json`. */
  readonly jwksUrl?: string | URL;
  /** Fixed keys instead of fetching them (tests, or keys shipped with the deployment). */
  readonly keys?: JSONWebKeySet;
  /** Accepted clock skew for `exp`/`nbf`, 0–60 s; default 10. */
  readonly clockToleranceSeconds?: number;
  /** The current time, for tests; default `Date.now()`. */
  readonly now?: () => number;
}

/** Why an assertion was refused. */
export type RejectReason =
  | 'missing'
  | 'malformed'
  | 'wrong_algorithm'
  | 'wrong_type'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims';

export type Verification =
  | { readonly ok: true; readonly user: LatchkeyUser }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string };

/**
 * The gateway's keys could not be fetched: neither signed in nor signed out. Thrown rather than answered as
 * "no user", because sending the browser to sign in would loop through the gateway.
 */
export class KeysUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeysUnavailableError';
  }
}

export interface AssertionVerifier {
  readonly issuer: string;
  readonly audience: string;
  /** Verifies a `Latchkey-Assertion` value; `null`/`undefined`/empty is `missing`. Throws only {@link KeysUnavailableError}. */
  verify(assertion: string | null | undefined): Promise<Verification>;
}

/**
 * Verifies the gateway's signed assertion: ES256 only, JOSE `typ: JWT`, a key from the gateway's JWKS (fetched
 * once and cached; fetched again, at most every 30 s, for an unknown `kid`), exact `iss` and `aud`, `exp` with
 * a small clock tolerance, `iat` neither in the future (beyond the tolerance) nor more than 5 minutes ago, `sub`
 * present, and typed user claims.
 */
export function createAssertionVerifier(options: AssertionVerifierOptions): AssertionVerifier {
  const issuer = requireHttpUrl(options.issuer, 'issuer').replace(/\/+$/, '');
  const audience = options.audience ?? 'latchkey-app';
  if (audience === '') throw new TypeError('audience: must not be empty');
  const tolerance = options.clockToleranceSeconds ?? 10;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new TypeError(`clockToleranceSeconds: must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const now = options.now ?? Date.now;
  const keys: JWTVerifyGetKey = options.keys !== undefined
    ? createLocalJWKSet(options.keys)
    : createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/auth/jwks.json`), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });

  async function verify(assertion: string | null | undefined): Promise<Verification> {
    if (assertion === null || assertion === undefined || assertion === '') return reject('missing', 'no Latchkey-Assertion header');
    if (assertion.length > MAX_ASSERTION_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(assertion)) {
      return reject('malformed', 'not a compact JWS');
    }
    try {
      const { payload } = await jwtVerify(assertion, keys, {
        algorithms: [ASSERTION_ALGORITHM],
        typ: 'JWT',
        issuer,
        audience,
        clockTolerance: tolerance,
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: MAX_ASSERTION_AGE_SECONDS,
        currentDate: new Date(now()),
      });
      return { ok: true, user: userFromClaims(payload) };
    } catch (e) {
      return classify(e);
    }
  }

  return { issuer, audience, verify };
}

function classify(e: unknown): Verification {
  if (e instanceof ClaimError) return reject('invalid_claims', e.message);
  if (e instanceof errors.JWTExpired) return reject('expired', e.message);
  if (e instanceof errors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'iss': return reject('wrong_issuer', e.message);
      case 'aud': return reject('wrong_audience', e.message);
      case 'nbf': return reject('not_yet_valid', e.message);
      case 'iat': return reject(e.reason === 'check_failed' ? 'not_yet_valid' : 'invalid_claims', e.message);
      case 'typ': return reject('wrong_type', e.message);
      default: return reject('invalid_claims', e.message);
    }
  }
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return reject('wrong_algorithm', e.message);
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) return reject('unknown_key', e.message);
  if (e instanceof errors.JWSSignatureVerificationFailed) return reject('bad_signature', e.message);
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid || e instanceof errors.JWKInvalid) return reject('malformed', e.message);
  // Anything else is the key set itself: unreachable, a timeout, not JSON, not 200.
  throw new KeysUnavailableError(`the gateway's keys are unavailable: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

function reject(reason: RejectReason, detail: string): Verification {
  return { ok: false, reason, detail };
}

function requireHttpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name}: not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${name}: must be an http(s) URL`);
  return value;
}
