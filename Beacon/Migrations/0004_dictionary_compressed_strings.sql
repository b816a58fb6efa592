-- chrom, ref, alt and variant_type hold few distinct values per row group (chromosome names, mostly single bases,
-- five variant types): dictionary compression suits them. Left to choose, DuckDB analyses every string compression on
-- every row group (FSST's symbol tables among them) before writing it; naming the method skips that, about a tenth of
-- an ingest's appending and compressing work, for a few percent more bytes on the benchmark's file (FSST had won
-- ref/alt narrowly) (docs/beacon-store.md, "Measured"). Long indel alleles are kept once per segment's dictionary.
-- DuckDB cannot change a column's compression in place, so the table is rebuilt inside the migration's transaction;
-- INSERT ... SELECT keeps the rows' order (DuckDB preserves insertion order), and with it the zone maps.
CREATE TABLE beacon.variants_0004 (
    file_id         INTEGER NOT NULL,
    chrom           VARCHAR NOT NULL USING COMPRESSION dictionary,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    ref             VARCHAR NOT NULL USING COMPRESSION dictionary,
    alt             VARCHAR NOT NULL USING COMPRESSION dictionary,
    variant_type    VARCHAR NOT NULL USING COMPRESSION dictionary,
    vcf_id          VARCHAR,
    allele_count    INTEGER NOT NULL,
    allele_number   INTEGER NOT NULL,
    het             INTEGER[],
    het_bitmap      BLOB,
    hom             INTEGER[],
    hemi            INTEGER[],
    genes           VARCHAR[],
    effects         VARCHAR[],
    aa_changes      VARCHAR[],
    transcript_hgvs VARCHAR[],
    protein_hgvs    VARCHAR[]
);
INSERT INTO beacon.variants_0004 SELECT * FROM beacon.variants;
DROP TABLE beacon.variants;
ALTER TABLE beacon.variants_0004 RENAME TO variants;
