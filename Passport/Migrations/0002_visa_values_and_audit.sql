-- The ControlledAccessGrants visa value that grants a dataset (a URL or URN chosen by its data access committee),
-- and the audit trail of every access decision the node makes.
ALTER TABLE passport.datasets ADD COLUMN visa_value VARCHAR;

-- One row per decision: who asked (subject and issuer of the passport; NULL when anonymous), from where, for which
-- dataset through which resource, whether it was allowed, at what level, and why. No token is ever stored.
CREATE TABLE passport.access_decisions (
    decided_at     TIMESTAMPTZ NOT NULL,
    subject        VARCHAR,
    issuer         VARCHAR,
    client_address VARCHAR,
    resource       VARCHAR NOT NULL,
    dataset_id     VARCHAR NOT NULL,
    allowed        BOOLEAN NOT NULL,
    access         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL
);
