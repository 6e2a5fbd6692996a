/** An RFC 9457 problem document, as Latchkey renders errors (`application/problem+json`). */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  /** Latchkey's machine-readable error code, e.g. `refresh_token_reused`. */
  readonly code?: string;
  readonly [extension: string]: unknown;
}

/**
 * Codes a {@link LatchkeyError} can carry: the server's problem `code` when it sent one,
 * otherwise one the client chose. The list names the ones this package reacts to or produces;
 * a server may send others.
 */
export type ErrorCode =
  | 'unauthenticated'
  | 'refresh_token_invalid'
  | 'refresh_token_reused'
  | 'refresh_token_stale'
  | 'session_revoked'
  | 'session_expired'
  | 'logged_out'
  | 'invalid_response'
  | 'http_error'
  | 'mfa_required'
  | 'mfa_enrolment_required'
  | 'mfa_code_invalid'
  | 'mfa_code_replayed'
  | 'mfa_challenge_invalid'
  | (string & {});

/**
 * A sign-in waiting for its second factor: what `login` (and a refused code) rejects with in
 * `error.problem` when `error.code` is `mfa_required` or a code was wrong. The challenge is single
 * use and short-lived; a refused code comes with a fresh one.
 */
export interface MfaChallenge {
  readonly challenge: string;
  /** E.g. `totp`, `recovery_code`. */
  readonly factors: readonly string[];
  /** The policy requires a factor the user does not have yet: enrol one (see docs/mfa.md). */
  readonly enrolmentRequired: boolean;
  readonly expiresIn: number;
}

/** The second-factor challenge an error carries, if it carries one. */
export function mfaChallenge(error: unknown): MfaChallenge | undefined {
  if (!(error instanceof LatchkeyError) || error.problem === undefined) return undefined;
  const p = error.problem;
  if (p['mfa_required'] !== true || typeof p['challenge'] !== 'string' || !Array.isArray(p['factors'])) return undefined;
  return {
    challenge: p['challenge'],
    factors: p['factors'].filter((f): f is string => typeof f === 'string'),
    enrolmentRequired: p['enrolment_required'] === true,
    expiresIn: typeof p['expires_in'] === 'number' ? p['expires_in'] : 0,
  };
}

/** The one error type of this package. `status` is the HTTP status of the answer that caused it. */
export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly problem: Problem | undefined;

  constructor(message: string, status: number, code: ErrorCode, problem?: Problem) {
    super(message);
    this.status = status;
    this.code = code;
    this.problem = problem;
  }
}

/** Builds the error for a failed answer from its problem body, when it has one. Consumes the body. */
export async function errorFromResponse(response: Response, fallbackCode: ErrorCode): Promise<LatchkeyError> {
  const problem = await readProblem(response);
  const code = typeof problem?.code === 'string' && problem.code !== '' ? problem.code : fallbackCode;
  const text = problem?.title ?? problem?.detail ?? (response.statusText || 'request failed');
  return new LatchkeyError(`${response.status} ${text}`, response.status, code, problem);
}

async function readProblem(response: Response): Promise<Problem | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/(problem\+)?json\b/i.test(type)) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const body: unknown = await response.json();
    return isObject(body) ? (body as Problem) : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
