-- An allele's transcript and protein HGVS are only ever read back whole (record responses), never searched, so they
-- are stored as one text per allele instead of lists, and transcript_hgvs is split into the transcript ids, a few
-- distinct combinations per gene that dictionary compression keeps once per segment, and the changes (c.1234A>G,
-- unique text), joined again when read ("ENST00000357654.9:c.5503C>T"). Lists cost DuckDB a string per entry to
-- copy, analyse for every compression method and compress; one text per allele costs one. On the benchmark's annotated
-- file (2.6 transcripts per allele) that is about a sixth less of DuckDB's appending and compressing work and a fifth
-- less store (docs/beacon-store.md, "An annotated, phased file"). Only transcript_ids names its compression: named
-- FSST would store a row group without any value (a file without annotations) uncompressed, 4 bytes a row, where
-- DuckDB's own choice costs next to nothing.
--
-- The encoding (Beacon/Store/AnnotationText.cs): the list's values joined by ',', each with '%' written as '%25' and
-- ',' as '%2C' (values read from ANN/CSQ are percent-decoded and may hold either); NULL for an empty list.
-- transcript_ids and transcript_changes hold one value per transcript HGVS, in order: a value split at its first ':'
-- when that has text before it (the id; else the id is '' and the change the whole value), so joining them back
-- gives every value byte for byte.
CREATE TABLE beacon.variants_0007 (
    file_id            INTEGER NOT NULL,
    chrom              VARCHAR NOT NULL USING COMPRESSION dictionary,
    start              INTEGER NOT NULL,
    "end"              INTEGER NOT NULL,
    ref                VARCHAR NOT NULL USING COMPRESSION dictionary,
    alt                VARCHAR NOT NULL USING COMPRESSION dictionary,
    variant_type       VARCHAR NOT NULL USING COMPRESSION dictionary,
    vcf_id             VARCHAR,
    allele_count       INTEGER NOT NULL,
    allele_number      INTEGER NOT NULL,
    het                INTEGER[],
    het_bitmap         BLOB,
    hom                INTEGER[],
    hemi               INTEGER[],
    genes              VARCHAR[],
    effects            VARCHAR[],
    aa_changes         VARCHAR[],
    transcript_ids     VARCHAR USING COMPRESSION dictionary,
    transcript_changes VARCHAR,
    protein_hgvs       VARCHAR
);
INSERT INTO beacon.variants_0007
SELECT file_id, chrom, start, "end", ref, alt, variant_type, vcf_id, allele_count, allele_number, het, het_bitmap, hom, hemi,
       genes, effects, aa_changes,
       CASE WHEN len(transcript_hgvs) > 0 THEN array_to_string(list_transform(transcript_hgvs,
           lambda h: replace(replace(CASE WHEN strpos(h, ':') > 1 THEN left(h, strpos(h, ':') - 1) ELSE '' END, '%', '%25'), ',', '%2C')), ',') END,
       CASE WHEN len(transcript_hgvs) > 0 THEN array_to_string(list_transform(transcript_hgvs,
           lambda h: replace(replace(CASE WHEN strpos(h, ':') > 1 THEN substr(h, strpos(h, ':') + 1) ELSE h END, '%', '%25'), ',', '%2C')), ',') END,
       CASE WHEN len(protein_hgvs) > 0 THEN array_to_string(list_transform(protein_hgvs,
           lambda p: replace(replace(p, '%', '%25'), ',', '%2C')), ',') END
FROM beacon.variants;
DROP TABLE beacon.variants;
ALTER TABLE beacon.variants_0007 RENAME TO variants;
