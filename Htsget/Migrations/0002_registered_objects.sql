-- Registered read and variant files. A registration parses the file header, the BGZF block list (or CRAM container
-- list) and the index into these tables once, so that a ticket is a range query here and never a re-read of the
-- index. Re-registering an object id deletes its rows and writes the new ones in one transaction, so none of these
-- tables carries a PRIMARY KEY or UNIQUE constraint.
CREATE TABLE htsget.objects (
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
    -- BGZF formats: virtual offset of the first record (everything before it is header). CRAM: byte offset of the
    -- first data container (everything before it is the file definition and the header container).
    header_end      BIGINT NOT NULL,
    ends_with_eof   BOOLEAN NOT NULL,
    -- Binning indexes only (NULL for CRAI): the scheme that bins and lower_bounds were computed with.
    min_shift       INTEGER,
    depth           INTEGER,
    -- BAM: virtual offset where the unplaced unmapped reads ('*') start, after every placed chunk; NULL when no
    -- reference has records (they then follow the header) or for other formats.
    unplaced_offset BIGINT,
    registered_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- The data file header's references (BAM/CRAM @SQ, VCF/BCF ##contig) in header order; length NULL when the header
-- does not give one.
CREATE TABLE htsget.references (
    object_id VARCHAR NOT NULL,
    ref_index INTEGER NOT NULL,
    name      VARCHAR NOT NULL,
    length    BIGINT
);

-- The sequence names the index's reference ids stand for: the header's references for BAM, CRAM and BCF, the tabix
-- header's names for TBI and for CSI of a bgzipped VCF (these follow the order records appear in, not the header).
-- bins, lower_bounds and crai use these ids.
CREATE TABLE htsget.index_references (
    object_id VARCHAR NOT NULL,
    ref_index INTEGER NOT NULL,
    name      VARCHAR NOT NULL
);

-- BGZF blocks (uncompressed_size set, record_count NULL) or CRAM containers (compressed_size = header and blocks,
-- record_count set, uncompressed_size NULL), in file order; together they tile the file.
CREATE TABLE htsget.blocks (
    object_id         VARCHAR NOT NULL,
    "offset"          BIGINT NOT NULL,
    compressed_size   BIGINT NOT NULL,
    uncompressed_size INTEGER,
    record_count      INTEGER
);

-- One row per chunk of every bin of a binning index, with the genomic span [bin_start, bin_end) of the bin and
-- the chunk's virtual offsets; written ordered by (object_id, ref_index, bin_start) so zone maps prune lookups.
CREATE TABLE htsget.bins (
    object_id   VARCHAR NOT NULL,
    ref_index   INTEGER NOT NULL,
    bin         INTEGER NOT NULL,
    bin_start   BIGINT NOT NULL,
    bin_end     BIGINT NOT NULL,
    chunk_start BIGINT NOT NULL,
    chunk_end   BIGINT NOT NULL
);

-- Disjoint windows [window_start, window_end) of a reference and the smallest virtual offset a record overlapping
-- a region that starts in the window can have: BAI/TBI linear index windows of 2^min_shift bp (the last one runs to
-- the end of the binning scheme); for CSI the loffset of the finest bin present that holds the position. A position
-- in no window has no bound (0).
CREATE TABLE htsget.lower_bounds (
    object_id    VARCHAR NOT NULL,
    ref_index    INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    window_end   BIGINT NOT NULL,
    "offset"     BIGINT NOT NULL
);

-- CRAI rows: a slice on ref_index (-1 for unmapped) from the 1-based alignment start over span, in the container at
-- container_offset, at slice_offset from the end of the container header, slice_size bytes long.
CREATE TABLE htsget.crai (
    object_id        VARCHAR NOT NULL,
    ref_index        INTEGER NOT NULL,
    "start"          BIGINT NOT NULL,
    span             BIGINT NOT NULL,
    container_offset BIGINT NOT NULL,
    slice_offset     BIGINT NOT NULL,
    slice_size       BIGINT NOT NULL
);
