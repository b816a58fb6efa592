-- One registration per object id: re-registering deletes and inserts in one transaction, and two registrations of
-- one id at once now fail at commit instead of leaving two rows. DuckDB cannot add the key to a table that an earlier
-- migration of the same transaction changed (0003), so the table is rebuilt with it.
SELECT CASE WHEN EXISTS (SELECT object_id FROM htsget.objects GROUP BY object_id HAVING count(*) > 1)
    THEN error('htsget.objects holds an object id registered twice (concurrent registrations of an earlier genome-node); with that version, register the object again, then start this version')
END;
CREATE TABLE htsget.objects_0004 (
    object_id       VARCHAR NOT NULL PRIMARY KEY,
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
    block_count     BIGINT DEFAULT 0
);
INSERT INTO htsget.objects_0004 SELECT * FROM htsget.objects;
DROP TABLE htsget.objects;
ALTER TABLE htsget.objects_0004 RENAME TO objects;
