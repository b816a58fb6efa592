-- The dataset catalog: every module's data belongs to one of these datasets, and the access
-- decisions of this module are made per dataset and tier.
CREATE SCHEMA IF NOT EXISTS passport;

CREATE TABLE passport.datasets (
    id          VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    description VARCHAR,
    tier        VARCHAR NOT NULL CHECK (tier IN ('public', 'registered', 'controlled')),
    is_demo     BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
