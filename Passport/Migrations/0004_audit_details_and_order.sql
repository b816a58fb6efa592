-- What each request asked and was answered, the request its rows belong to, and the order they were appended in
-- (docs/passport.md, "Audit"). The table stays append-only: no code path updates or deletes its rows.
-- Rebuilt rather than altered: DuckDB cannot add the NOT NULL of seq to the rows it numbers in the same transaction.
CREATE TABLE passport.access_decisions_numbered (
    -- The append order, 1, 2, 3, ...: the audit writer numbers each batch from the claimed counter below.
    seq            BIGINT NOT NULL,
    decided_at     TIMESTAMPTZ NOT NULL,
    -- The node's id of the request (as in its logs and its answer's X-Request-Id); a request's rows share it.
    request_id     VARCHAR,
    subject        VARCHAR,
    issuer         VARCHAR,
    client_address VARCHAR,
    resource       VARCHAR NOT NULL,
    dataset_id     VARCHAR NOT NULL,
    allowed        BOOLEAN NOT NULL,
    access         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    ticket         VARCHAR,
    -- The request as asked, what the answer gave, what privacy controls changed in it, what it took from the budget.
    query          VARCHAR,
    returned       VARCHAR,
    adjustments    VARCHAR,
    cost           DOUBLE NOT NULL DEFAULT 0
);
-- Rows written before are numbered once in the order they were appended: the table never lost a row, so its row ids
-- are that order.
INSERT INTO passport.access_decisions_numbered
    (seq, decided_at, subject, issuer, client_address, resource, dataset_id, allowed, access, reason, ticket)
SELECT row_number() OVER (ORDER BY rowid), decided_at, subject, issuer, client_address, resource, dataset_id, allowed, access, reason, ticket
FROM passport.access_decisions
ORDER BY rowid;
DROP TABLE passport.access_decisions;
ALTER TABLE passport.access_decisions_numbered RENAME TO access_decisions;

-- The last seq handed out: one row, which the writer updates in each batch's transaction before appending the batch's
-- rows as the numbers after it. Two transactions that appended at once would both update this row, and DuckDB refuses
-- the second: a number cannot be taken twice. (No unique index on seq: DuckDB would keep and rewrite an ART index of
-- the whole growing table; docs/architecture.md, "Concurrent writers".)
CREATE TABLE passport.access_decision_sequence (
    last_seq BIGINT NOT NULL
);
INSERT INTO passport.access_decision_sequence SELECT count(*) FROM passport.access_decisions;
