-- One object id can hold several formats of the same data (BAM and CRAM of the same reads, VCF.gz and BCF of the same
-- variants): a registration is keyed by (object_id, format). Registering a format again replaces that format's rows in
-- one transaction; two registrations of one id and format at once fail at commit; two of different formats both land.
-- The child tables name the registration by both columns; existing rows take their object's format.
CREATE TABLE htsget.objects_0005 (
    object_id       VARCHAR NOT NULL,
    dataset_id      VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL CHECK (kind IN ('reads', 'variants')),
    format          VARCHAR NOT NULL CHECK (format IN ('BAM', 'CRAM', 'VCF', 'BCF')),
    path            VARCHAR NOT NULL,
    size            BIGINT NOT NULL,
    sha256          VARCHAR NOT NULL,
    modified_at     TIMESTAMPTZ NOT NULL,
    index_path      VARCHAR NOT NULL,
    index_format    VARCHAR NOT NULL CHECK (index_format IN ('BAI', 'CSI', 'TBI', 'CRAI')),
    header_end      BIGINT NOT NULL,
    ends_with_eof   BOOLEAN NOT NULL,
    min_shift       INTEGER,
    depth           INTEGER,
    unplaced_offset BIGINT,
    registered_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    reference_count INTEGER DEFAULT 0,
    block_count     BIGINT DEFAULT 0,
    PRIMARY KEY (object_id, format)
);
INSERT INTO htsget.objects_0005 SELECT * FROM htsget.objects;
DROP TABLE htsget.objects;
ALTER TABLE htsget.objects_0005 RENAME TO objects;

ALTER TABLE htsget."references" ADD COLUMN format VARCHAR;
UPDATE htsget."references" t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
ALTER TABLE htsget.index_references ADD COLUMN format VARCHAR;
UPDATE htsget.index_references t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
ALTER TABLE htsget.blocks ADD COLUMN format VARCHAR;
UPDATE htsget.blocks t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
ALTER TABLE htsget.bins ADD COLUMN format VARCHAR;
UPDATE htsget.bins t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
ALTER TABLE htsget.lower_bounds ADD COLUMN format VARCHAR;
UPDATE htsget.lower_bounds t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
ALTER TABLE htsget.crai ADD COLUMN format VARCHAR;
UPDATE htsget.crai t SET format = o.format FROM htsget.objects o WHERE o.object_id = t.object_id;
-- Rows of no registered object (none should exist) are of no registration.
DELETE FROM htsget."references" WHERE format IS NULL;
DELETE FROM htsget.index_references WHERE format IS NULL;
DELETE FROM htsget.blocks WHERE format IS NULL;
DELETE FROM htsget.bins WHERE format IS NULL;
DELETE FROM htsget.lower_bounds WHERE format IS NULL;
DELETE FROM htsget.crai WHERE format IS NULL;
