-- Configuration keys are case-insensitive, so a per-dataset setting names a dataset whatever the letter case: two
-- datasets whose ids differ only in case could not be told apart there. The catalog refuses them.
-- modified_at: when the dataset or any module's data of it last changed. Every writing operation on a dataset's data
-- sets it inside its own transaction, so that two operations on one dataset (an ingest and a removal) conflict in
-- DuckDB and one fails, instead of both committing and leaving orphan rows.
SELECT CASE WHEN EXISTS (SELECT lower(id) FROM passport.datasets GROUP BY lower(id) HAVING count(*) > 1)
    THEN error('passport.datasets holds dataset ids that differ only in letter case; remove all but one of them with genome-node dataset remove (using an earlier genome-node), then start this version')
END;
CREATE UNIQUE INDEX datasets_id_case_insensitive ON passport.datasets (lower(id));
ALTER TABLE passport.datasets ADD COLUMN modified_at TIMESTAMPTZ;
UPDATE passport.datasets SET modified_at = created_at;
-- The htsget ticket a decision or a data URL fetch belongs to (NULL for other resources). dataset_id is '*' for a
-- request refused before any dataset was considered (a refused bearer token).
ALTER TABLE passport.access_decisions ADD COLUMN ticket VARCHAR;
