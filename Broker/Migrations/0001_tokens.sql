CREATE SCHEMA IF NOT EXISTS broker;

-- The broker's OpenIddict entries: authorizations (one per sign-in, the chain a replayed code or refresh token revokes)
-- and tokens (authorization codes, refresh tokens and access tokens, each with its status). Keys make a collision fail.
-- Times are UTC.
CREATE TABLE broker.authorizations (
    id VARCHAR PRIMARY KEY,
    application_id VARCHAR,
    concurrency_token VARCHAR NOT NULL,
    creation_date TIMESTAMP,
    properties VARCHAR,
    scopes VARCHAR,
    status VARCHAR,
    subject VARCHAR,
    type VARCHAR
);

CREATE TABLE broker.tokens (
    id VARCHAR PRIMARY KEY,
    application_id VARCHAR,
    authorization_id VARCHAR,
    concurrency_token VARCHAR NOT NULL,
    creation_date TIMESTAMP,
    expiration_date TIMESTAMP,
    payload VARCHAR,
    properties VARCHAR,
    redemption_date TIMESTAMP,
    reference_id VARCHAR UNIQUE,
    status VARCHAR,
    subject VARCHAR,
    type VARCHAR
);

-- Visas collected from trusted upstream issuers when a user signed in there, each kept until its own expiry; a new
-- sign-in at the same upstream replaces that upstream's visas of the user.
CREATE TABLE broker.upstream_visas (
    subject VARCHAR NOT NULL,
    upstream VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    visa VARCHAR NOT NULL,
    visa_issuer VARCHAR NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    collected_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subject, upstream, position)
);
