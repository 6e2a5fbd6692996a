-- Sign-ins waiting for their second factor (issue 11): short-lived, single-use challenges, looked up
-- by the SHA-256 of the challenge and of the browser's binding secret, spent by one DELETE ... RETURNING.
-- steps is the sign-in so far: "factor@instant" separated by spaces (e.g. "password@2026-03-01T10:00:00Z").
CREATE TABLE mfa_challenges (
    id_hash      bytea       PRIMARY KEY,
    binding_hash bytea       NOT NULL,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    steps        text        NOT NULL,
    started_at   timestamptz NOT NULL,
    factors      text        NOT NULL,
    enrolment    boolean     NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX mfa_challenges_expiry_idx ON mfa_challenges (expires_at);

-- acr_values of an authorization request waiting for sign-in (OIDC Core §3.1.2.1): urn:latchkey:acr:mfa
-- makes the authorization endpoint ask for a second factor before it issues a code.
ALTER TABLE authorization_requests ADD COLUMN acr_values text;
