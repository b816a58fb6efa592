-- What each request asked and was answered, the request its rows belong to, and the order they were appended in
-- (docs/passport.md, "Audit"). The table stays append-only: no code path updates or deletes its rows.
ALTER TABLE passport.access_decisions ADD COLUMN query VARCHAR;
ALTER TABLE passport.access_decisions ADD COLUMN returned VARCHAR;
ALTER TABLE passport.access_decisions ADD COLUMN adjustments VARCHAR;
-- DuckDB adds a column with a default only, then takes the constraint.
ALTER TABLE passport.access_decisions ADD COLUMN cost DOUBLE DEFAULT 0;
ALTER TABLE passport.access_decisions ALTER COLUMN cost SET NOT NULL;
ALTER TABLE passport.access_decisions ADD COLUMN request_id VARCHAR;

-- seq: the append order, 1, 2, 3, ... Rows written before this migration are numbered once in the order they were
-- appended (the table never lost a row, so its row ids are that order); from now on the audit writer numbers each
-- batch from the claimed counter below.
ALTER TABLE passport.access_decisions ADD COLUMN seq BIGINT;
UPDATE passport.access_decisions SET seq = numbered.seq
FROM (SELECT rowid AS row_id, row_number() OVER (ORDER BY rowid) AS seq FROM passport.access_decisions) AS numbered
WHERE passport.access_decisions.rowid = numbered.row_id;
ALTER TABLE passport.access_decisions ALTER COLUMN seq SET NOT NULL;

-- The last seq handed out: one row, which the writer updates in each batch's transaction before appending the batch's
-- rows as the numbers after it. Two transactions that appended at once would both update this row, and DuckDB refuses
-- the second: numbers cannot be taken twice. (No unique index on seq: DuckDB would keep and rewrite an ART index of
-- the whole growing table; docs/architecture.md, "Concurrent writers".)
CREATE TABLE passport.access_decision_sequence (
    last_seq BIGINT NOT NULL
);
INSERT INTO passport.access_decision_sequence SELECT count(*) FROM passport.access_decisions;
