-- A file's rows all share its dataset and assembly, which beacon.variant_files already holds (by file_id): stored
-- on every row they cost the ingest a third of DuckDB's appending work (two string columns to copy, hash and
-- compress per row) for nothing a query needs. Queries join variant_files on file_id, whose values DuckDB pushes
-- into the scan of variants, so the zone maps of file_id (one file's rows are contiguous) still prune.
ALTER TABLE beacon.variants DROP COLUMN dataset_id;
ALTER TABLE beacon.variants DROP COLUMN assembly;
