-- Files stored encrypted with Crypt4GH: size stays the stored file's (its identity on disk), plaintext_size is what
-- tickets are planned on, crypt4gh_header_length is where the first segment starts (NULL for a plain file).
ALTER TABLE htsget.objects ADD COLUMN plaintext_size BIGINT;
UPDATE htsget.objects SET plaintext_size = size;
ALTER TABLE htsget.objects ADD COLUMN crypt4gh_header_length BIGINT;

-- A dataset's download policy as its operator set it; a dataset without a row has its tier's default
-- (controlled: c4gh-only, others: any). Removed with the dataset (HtsgetDatasetData).
CREATE TABLE htsget.dataset_streaming (
    dataset_id VARCHAR PRIMARY KEY,
    streaming  VARCHAR NOT NULL CHECK (streaming IN ('any', 'c4gh-only', 'none')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
