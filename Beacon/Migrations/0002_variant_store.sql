-- The variant store (see docs/beacon-store.md).
--
-- variant_files: one row per ingested VCF of a dataset. A file is known by its SHA-256: ingesting the same content
-- again replaces its rows (one copy), in one transaction with the new rows.
CREATE TABLE beacon.variant_files (
    dataset_id   VARCHAR NOT NULL,
    file_id      INTEGER NOT NULL,
    path         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    assembly     VARCHAR NOT NULL,
    samples      INTEGER NOT NULL,
    records      BIGINT NOT NULL,
    variants     BIGINT NOT NULL,
    -- the longest "end" - start of its variants: how far left of a range a variant may start and still overlap it
    max_span     INTEGER NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- The dataset's individuals: one per VCF sample (by sample name), numbered within the dataset. Carrier lists hold
-- these numbers. document: a Beacon individual (JSON) when one was given (the demo's individuals.json), else NULL.
CREATE TABLE beacon.individuals (
    dataset_id    VARCHAR NOT NULL,
    sample_index  INTEGER NOT NULL,
    id            VARCHAR NOT NULL,
    document      VARCHAR
);

-- One row per (dataset, ALT allele) of every ingested record. Rows of a file are written sorted by (chrom, start) so
-- DuckDB's per-row-group min/max (zone maps) skip everything but the few row groups a point or range query touches.
-- chrom: canonical name ('17', 'X', 'MT'; 'chr' dropped). start/end: 0-based, half-open span of the trimmed REF
-- (end = start for a pure insertion). ref/alt: trimmed (common suffix, then common prefix removed; '' when empty);
-- symbolic ALTs (<DEL>, <DUP:TANDEM>, ...) and breakends are kept as written with the record's REF span.
-- Genotypes: het/hom/hemi list the sample_index of individuals carrying the allele once (diploid), on every called
-- allele (diploid or more), or on their single allele (haploid); NULL when none. allele_count/allele_number are AC/AN
-- computed from the genotypes (not from INFO).
-- Annotation per ALT from INFO ANN (SnpEff) or CSQ (VEP); NULL when absent.
CREATE TABLE beacon.variants (
    dataset_id      VARCHAR NOT NULL,
    file_id         INTEGER NOT NULL,
    assembly        VARCHAR NOT NULL,
    chrom           VARCHAR NOT NULL,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    ref             VARCHAR NOT NULL,
    alt             VARCHAR NOT NULL,
    variant_type    VARCHAR NOT NULL,
    vcf_id          VARCHAR,
    allele_count    INTEGER NOT NULL,
    allele_number   INTEGER NOT NULL,
    het             INTEGER[],
    -- het as a bitmap (bit i of byte i/8 = sample_index i) instead of the list when that is smaller (common alleles)
    het_bitmap      BLOB,
    hom             INTEGER[],
    hemi            INTEGER[],
    genes           VARCHAR[],
    effects         VARCHAR[],
    aa_changes      VARCHAR[],
    transcript_hgvs VARCHAR[],
    protein_hgvs    VARCHAR[]
);
