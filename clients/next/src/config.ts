import { toReturnTo } from '@latchkey/client';
import { createAssertionVerifier, type AssertionVerifier, type Verification } from './verify.js';

/** How the Next.js server finds its gateway. */
export interface LatchkeyConfig {
  /** The gateway's public URL: the assertion's `iss`, and where browsers sign in (`<url>/auth/login`). */
  readonly gatewayUrl: string;
  /** The assertion's `aud`; default `latchkey-app`. */
  readonly audience: string;
  /** The gateway's keys; default `<gatewayUrl>/auth/jwks.json`. Point it at an internal address if you have one. */
  readonly jwksUrl: string;
  /** Accepted clock skew in seconds, 0–60; default 10. */
  readonly clockToleranceSeconds: number;
  /** Where `requireUser()` returns after sign-in when it is given no `returnTo`; default `/`. */
  readonly defaultReturnTo: string;
}

/** The variables {@link configFromEnv} reads. */
export const ENV = {
  gatewayUrl: 'LATCHKEY_GATEWAY_URL',
  audience: 'LATCHKEY_ASSERTION_AUDIENCE',
  jwksUrl: 'LATCHKEY_JWKS_URL',
  clockToleranceSeconds: 'LATCHKEY_CLOCK_TOLERANCE_SECONDS',
  defaultReturnTo: 'LATCHKEY_DEFAULT_RETURN_TO',
} as const;

/** Thrown at the first use of a misconfigured package, naming every problem at once. */
export class LatchkeyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`@latchkey/next is not configured: ${problems.join('; ')}`);
    this.name = 'LatchkeyConfigError';
  }
}

/** Reads and checks the `LATCHKEY_*` variables (see {@link ENV}); reports every problem at once. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LatchkeyConfig {
  const problems: string[] = [];
  const gatewayUrl = (env[ENV.gatewayUrl] ?? '').trim().replace(/\/+$/, '');
  if (gatewayUrl === '') {
    problems.push(`${ENV.gatewayUrl} is required (the gateway's public URL, e.g. https://app.example.com)`);
  } else if (!isHttpUrl(gatewayUrl)) {
    problems.push(`${ENV.gatewayUrl} must be an http(s) URL, got ${JSON.stringify(gatewayUrl)}`);
  }
  const audience = (env[ENV.audience] ?? '').trim() || 'latchkey-app';
  const explicitJwks = (env[ENV.jwksUrl] ?? '').trim();
  const jwksUrl = explicitJwks || `${gatewayUrl}/auth/jwks.json`;
  if (explicitJwks !== '' && !isHttpUrl(explicitJwks)) problems.push(`${ENV.jwksUrl} must be an http(s) URL`);
  const toleranceText = (env[ENV.clockToleranceSeconds] ?? '').trim();
  const clockToleranceSeconds = toleranceText === '' ? 10 : Number(toleranceText);
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 60) {
    problems.push(`${ENV.clockToleranceSeconds} must be a whole number of seconds from 0 to 60`);
  }
  const defaultReturnTo = toReturnTo((env[ENV.defaultReturnTo] ?? '').trim() || '/');
  if (problems.length > 0) throw new LatchkeyConfigError(problems);
  return { gatewayUrl, audience, jwksUrl, clockToleranceSeconds, defaultReturnTo };
}

/**
 * `<gatewayUrl>/auth/login?returnTo=<path>`: the gateway's one sign-in entry point. `returnTo` is made a
 * same-origin path first (`//evil.example` becomes `/evil.example`); the gateway checks it again.
 */
export function signInUrl(config: Pick<LatchkeyConfig, 'gatewayUrl'>, returnTo: string): string {
  return `${config.gatewayUrl}/auth/login?returnTo=${encodeURIComponent(toReturnTo(returnTo))}`;
}

let configured: { config: LatchkeyConfig; verifier: AssertionVerifier } | undefined;

/**
 * Sets the configuration in code instead of from the environment (call it once, e.g. in `instrumentation.ts`,
 * before the first request). Tests may call it again.
 */
export function configureLatchkey(config: Partial<LatchkeyConfig> & Pick<LatchkeyConfig, 'gatewayUrl'>): LatchkeyConfig {
  const merged = configFromEnv({
    [ENV.gatewayUrl]: config.gatewayUrl,
    [ENV.audience]: config.audience,
    [ENV.jwksUrl]: config.jwksUrl,
    [ENV.clockToleranceSeconds]: config.clockToleranceSeconds?.toString(),
    [ENV.defaultReturnTo]: config.defaultReturnTo,
  });
  configured = { config: merged, verifier: verifierFor(merged) };
  return merged;
}

/** The configuration and its verifier (one per process, so the JWKS is fetched once and cached). */
export function current(): { config: LatchkeyConfig; verifier: AssertionVerifier } {
  if (configured === undefined) {
    const config = configFromEnv();
    configured = { config, verifier: verifierFor(config) };
  }
  return configured;
}

const lastWarned = new Map<string, number>();

/**
 * Logs (at most once a minute per reason) that a request carried an assertion that failed verification. With the
 * gateway in front, that is a misconfiguration (`iss`/`aud`, clock skew, another gateway's keys) or a request that
 * bypassed the gateway, and the first would send browsers round the sign-in in a loop: worth a line in the log.
 */
export function warnRejected(verification: Verification, now: number = Date.now()): void {
  if (verification.ok || verification.reason === 'missing') return;
  const last = lastWarned.get(verification.reason);
  if (last !== undefined && now - last < 60_000) return;
  lastWarned.set(verification.reason, now);
  console.warn(`[@latchkey/next] Latchkey-Assertion refused (${verification.reason}): ${verification.detail}`);
}

function verifierFor(config: LatchkeyConfig): AssertionVerifier {
  return createAssertionVerifier({
    issuer: config.gatewayUrl,
    audience: config.audience,
    jwksUrl: config.jwksUrl,
    clockToleranceSeconds: config.clockToleranceSeconds,
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
