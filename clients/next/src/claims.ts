/**
 * The signed-in user as the gateway asserts it: the verified claims of `Latchkey-Assertion`.
 * A plain, serializable object, so a server component can hand it to `<LatchkeyProvider user={…}>`.
 */
export interface LatchkeyUser {
  /** The unified user id (`sub`), the same one your APIs and PostgreSQL policies see. */
  readonly id: string;
  readonly email: string | null;
  /** Display name (`name`), when the user has one. */
  readonly name: string | null;
  /** The organization the session acts in (`org`), if any. */
  readonly org: string | null;
  /** Roles in that organization (`roles`). */
  readonly roles: readonly string[];
  /** Permissions (`permissions`), when the gateway sends them; empty otherwise. */
  readonly permissions: readonly string[];
  /** Authentication context class (`acr`), when the gateway sends it. */
  readonly acr: string | null;
  /** Authentication methods (`amr`, RFC 8176), when the gateway sends them; empty otherwise. */
  readonly amr: readonly string[];
  /** When the assertion expires, in seconds since the epoch (it lives about a minute: re-read it per request). */
  readonly expiresAt: number;
}

/** Name, else e-mail, else the user id: what to greet someone with. */
export function displayName(user: LatchkeyUser): string {
  return user.name ?? user.email ?? user.id;
}

export function hasRole(user: LatchkeyUser | null | undefined, role: string): boolean {
  return user != null && user.roles.includes(role);
}

export function hasPermission(user: LatchkeyUser | null | undefined, permission: string): boolean {
  return user != null && user.permissions.includes(permission);
}

/** Why a payload is not a user: the name of the claim that is missing or of the wrong type. */
export class ClaimError extends Error {
  constructor(readonly claim: string, message: string) {
    super(message);
    this.name = 'ClaimError';
  }
}

/**
 * Maps verified JWT claims to a {@link LatchkeyUser}. Types are strict: a claim of the wrong type is an
 * error, never coerced (a `roles` string is not a list of one role).
 */
export function userFromClaims(payload: Readonly<Record<string, unknown>>): LatchkeyUser {
  const sub = payload['sub'];
  if (typeof sub !== 'string' || sub === '') throw new ClaimError('sub', 'sub: expected a non-empty string');
  const exp = payload['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new ClaimError('exp', 'exp: expected a number');
  return {
    id: sub,
    email: optionalString(payload, 'email'),
    name: optionalString(payload, 'name'),
    org: optionalString(payload, 'org'),
    roles: stringList(payload, 'roles'),
    permissions: stringList(payload, 'permissions'),
    acr: optionalString(payload, 'acr'),
    amr: stringList(payload, 'amr'),
    expiresAt: exp,
  };
}

function optionalString(payload: Readonly<Record<string, unknown>>, claim: string): string | null {
  const value = payload[claim];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ClaimError(claim, `${claim}: expected a string`);
  return value;
}

function stringList(payload: Readonly<Record<string, unknown>>, claim: string): readonly string[] {
  const value = payload[claim];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new ClaimError(claim, `${claim}: expected a list of strings`);
  }
  return Object.freeze([...value]);
}
