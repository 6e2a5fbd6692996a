export { ClaimError, displayName, hasPermission, hasRole, userFromClaims } from './claims.js';
export type { LatchkeyUser } from './claims.js';
export {
  ASSERTION_ALGORITHM,
  ASSERTION_HEADER,
  KeysUnavailableError,
  MAX_ASSERTION_AGE_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  createAssertionVerifier,
} from './verify.js';
export type { AssertionVerifier, AssertionVerifierOptions, RejectReason, Verification } from './verify.js';
export { ENV, LatchkeyConfigError, configFromEnv, configureLatchkey, signInUrl } from './config.js';
export type { LatchkeyConfig } from './config.js';
