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
