-- Beacon entries besides variants and individuals (individuals stay in beacon.individuals, numbered for carriers):
-- biosamples, runs, analyses and cohorts imported per dataset (ingest bff|fhir|phenopacket), and the dataset's own
-- document (datasets.json of a BFF export). document: the entry as the Beacon v2 default model has it (JSON).
-- individual_id / biosample_id / run_id: the entry's links, as its document gives them, checked on import to name an
-- entry of the same dataset. An import replaces the entries whose (entry_type, id) it brings, in one transaction
-- that first claims the dataset's row of beacon.individual_counters (docs/architecture.md, "Concurrent writers"): a
-- second writer of the same dataset fails instead of both writing one id.
CREATE TABLE beacon.entries (
    dataset_id    VARCHAR NOT NULL,
    entry_type    VARCHAR NOT NULL CHECK (entry_type IN ('biosample', 'run', 'analysis', 'cohort', 'dataset')),
    id            VARCHAR NOT NULL,
    individual_id VARCHAR,
    biosample_id  VARCHAR,
    run_id        VARCHAR,
    document      VARCHAR NOT NULL
);
