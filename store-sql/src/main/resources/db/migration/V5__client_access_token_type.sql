-- Opt-in, per client: access tokens with typ JWT instead of RFC 9068's at+jwt, for resource servers
-- that only accept typ JWT (e.g. Spring Security configured with nothing but issuer-uri).
ALTER TABLE oauth_clients ADD COLUMN access_token_type text NOT NULL DEFAULT 'at+jwt'
    CHECK (access_token_type IN ('at+jwt', 'jwt'));
