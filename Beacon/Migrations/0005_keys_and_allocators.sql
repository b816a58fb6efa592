-- Ids that cannot collide, and keys that make a collision fail instead of mixing data (docs/architecture.md,
-- "Concurrent writers"). Earlier versions took file ids and sample indexes as max() + 1 inside each ingest, so two
-- ingests at once could share one: such a database is refused here, untouched, with what to do.
SELECT CASE WHEN EXISTS (SELECT file_id FROM beacon.variant_files GROUP BY file_id HAVING count(*) > 1)
    THEN error('beacon.variant_files holds two ingests with the same file_id (concurrent ingests of an earlier genome-node): their variants are mixed. With that version, remove the datasets listed by SELECT dataset_id FROM beacon.variant_files WHERE file_id IN (SELECT file_id FROM beacon.variant_files GROUP BY file_id HAVING count(*) > 1) and ingest them again')
END;
SELECT CASE WHEN EXISTS (SELECT 1 FROM beacon.individuals GROUP BY dataset_id, sample_index HAVING count(*) > 1)
        OR EXISTS (SELECT 1 FROM beacon.individuals GROUP BY dataset_id, id HAVING count(*) > 1)
    THEN error('beacon.individuals holds two individuals with the same sample index or id in one dataset (concurrent ingests of an earlier genome-node): their carriers are mixed. With that version, remove the affected datasets and ingest them again')
END;
-- Rebuilt with the keys in the table definitions: DuckDB checks a separately created unique index too eagerly for an
-- ingest that replaces the same file (deleting its old row and inserting the new one in one transaction).
CREATE TABLE beacon.variant_files_0005 (
    dataset_id   VARCHAR NOT NULL,
    file_id      INTEGER NOT NULL PRIMARY KEY,
    path         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    assembly     VARCHAR NOT NULL,
    samples      INTEGER NOT NULL,
    records      BIGINT NOT NULL,
    variants     BIGINT NOT NULL,
    max_span     INTEGER NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (dataset_id, sha256)
);
INSERT INTO beacon.variant_files_0005 SELECT * FROM beacon.variant_files;
DROP TABLE beacon.variant_files;
ALTER TABLE beacon.variant_files_0005 RENAME TO variant_files;

CREATE TABLE beacon.individuals_0005 (
    dataset_id    VARCHAR NOT NULL,
    sample_index  INTEGER NOT NULL,
    id            VARCHAR NOT NULL,
    document      VARCHAR,
    PRIMARY KEY (dataset_id, sample_index),
    UNIQUE (dataset_id, id)
);
INSERT INTO beacon.individuals_0005 SELECT * FROM beacon.individuals;
DROP TABLE beacon.individuals;
ALTER TABLE beacon.individuals_0005 RENAME TO individuals;

-- File ids from a sequence, started after the ids already taken.
CREATE SEQUENCE beacon.variant_file_ids;
SELECT max(nextval('beacon.variant_file_ids')) FROM range(0, (SELECT coalesce(max(file_id), 0) FROM beacon.variant_files)::BIGINT);

-- Sample indexes number a dataset's individuals densely from 0 (carrier bitmaps are indexed by them), so they come from
-- one counter row per dataset, advanced in the transaction that adds individuals: two transactions adding individuals
-- to one dataset update the same row, and DuckDB fails the second instead of letting both take the same numbers.
CREATE TABLE beacon.individual_counters (
    dataset_id VARCHAR PRIMARY KEY,
    next_index INTEGER NOT NULL
);
INSERT INTO beacon.individual_counters
    SELECT dataset_id, max(sample_index) + 1 FROM beacon.individuals GROUP BY dataset_id;
