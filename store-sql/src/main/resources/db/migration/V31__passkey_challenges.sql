-- WebAuthn ceremony challenges (issue 11): SHA-256 of the challenge and of the browser's binding cookie only;
-- single use (used_at set by one conditional UPDATE), short-lived (5 minutes), purged after expiry.
CREATE TABLE passkey_challenges (
    id             uuid        PRIMARY KEY,
    challenge_hash bytea       NOT NULL UNIQUE,
    purpose        text        NOT NULL CHECK (purpose IN ('register', 'sign_in', 'second_factor')),
    user_id        uuid        REFERENCES users (id) ON DELETE CASCADE,
    binding_hash   bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    CHECK (purpose = 'sign_in' OR user_id IS NOT NULL)
);
CREATE INDEX passkey_challenges_expiry_idx ON passkey_challenges (expires_at);
