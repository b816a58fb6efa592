-- The node's own RS256 signing keys (its visas, its broker's tokens): see docs/passport.md, "Signing keys and rotation".
-- The current key is the one no other key succeeds. A key is created with succeeds = the kid of the current key (''
-- for the first): two processes or threads that create a first key, or rotate, at once insert the same succeeds, and
-- the unique constraint refuses the second instead of leaving two current keys.
CREATE TABLE passport.signing_keys (
    kid          VARCHAR PRIMARY KEY,
    succeeds     VARCHAR NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    -- PKCS#8 DER of the RSA private key.
    private_key  BLOB NOT NULL,
    -- When a newer key took over; NULL for the current key.
    retired_at   TIMESTAMPTZ,
    -- The latest exp of anything the key signed (rounded up, written before the token is handed out): the key stays
    -- published until then, so no token it signed is left without its key.
    signed_until TIMESTAMPTZ
);
