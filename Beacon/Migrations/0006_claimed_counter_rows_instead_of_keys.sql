-- The keys of 0005 go: DuckDB keeps every non-empty ART index in a 256 KB block of its own, and rewrites a key's block
-- whenever a row of its table is updated, so the five keys of beacon.variant_files, beacon.individuals and
-- beacon.individual_counters cost a node's first ingest seven blocks (1.8 MB) for tables of a few rows, more than a
-- quarter of the store of a 200,000-variant file (docs/beacon-store.md, "How it grows"). What they guarded is kept by
-- claimed rows instead (docs/architecture.md, "Concurrent writers"): every ingest first updates its dataset's row in
-- beacon.individual_counters (made when the dataset is added), so two transactions writing one dataset's files or
-- individuals conflict in DuckDB and the second fails, before either could take the same sample index or store the
-- same file twice; an ingest that finds no row (a dataset added before this version and never ingested, or an ingest
-- outside the catalog) creates it after updating beacon.counter_creation, the one row that makes two such creations
-- conflict. File ids come from the sequence beacon.variant_file_ids.
CREATE TABLE beacon.variant_files_0006 (
    dataset_id   VARCHAR NOT NULL,
    file_id      INTEGER NOT NULL,
    path         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    assembly     VARCHAR NOT NULL,
    samples      INTEGER NOT NULL,
    records      BIGINT NOT NULL,
    variants     BIGINT NOT NULL,
    max_span     INTEGER NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
INSERT INTO beacon.variant_files_0006 SELECT * FROM beacon.variant_files;
DROP TABLE beacon.variant_files;
ALTER TABLE beacon.variant_files_0006 RENAME TO variant_files;

CREATE TABLE beacon.individuals_0006 (
    dataset_id    VARCHAR NOT NULL,
    sample_index  INTEGER NOT NULL,
    id            VARCHAR NOT NULL,
    document      VARCHAR
);
INSERT INTO beacon.individuals_0006 SELECT * FROM beacon.individuals;
DROP TABLE beacon.individuals;
ALTER TABLE beacon.individuals_0006 RENAME TO individuals;

-- One row per dataset: its own, and every dataset with files gets one now.
CREATE TABLE beacon.individual_counters_0006 (
    dataset_id VARCHAR NOT NULL,
    next_index INTEGER NOT NULL
);
INSERT INTO beacon.individual_counters_0006
    SELECT dataset_id, max(next_index) FROM (
        SELECT dataset_id, next_index FROM beacon.individual_counters
        UNION ALL
        SELECT dataset_id, 0 FROM beacon.variant_files)
    GROUP BY dataset_id;
DROP TABLE beacon.individual_counters;
ALTER TABLE beacon.individual_counters_0006 RENAME TO individual_counters;

CREATE TABLE beacon.counter_creation (creations BIGINT NOT NULL);
INSERT INTO beacon.counter_creation VALUES (0);
