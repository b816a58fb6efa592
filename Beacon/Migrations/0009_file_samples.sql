-- Who a file genotyped: the dataset's sample index of each sample column, in column order ([] for a sites-only VCF).
-- A dataset's individuals are not all genotyped (individuals imported from BFF, FHIR or Phenopackets need not be
-- samples of any VCF), and frequencies per population count the genotyped members of each population only
-- (docs/population-frequencies.md). NULL for a file ingested before this migration: its samples were not recorded.
ALTER TABLE beacon.variant_files ADD COLUMN sample_indexes INTEGER[];
