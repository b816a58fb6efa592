-- What operators say about a dataset for the FAIR Data Point (HealthDCAT-AP; docs/fdp.md): one JSON document per
-- described dataset, checked and normalised by the catalog before it is stored. Only described datasets are listed.
-- The catalog deletes a dataset's row here in the transaction that removes the dataset.
CREATE TABLE passport.dataset_metadata (
    dataset_id   VARCHAR NOT NULL PRIMARY KEY,
    metadata     VARCHAR NOT NULL,
    described_at TIMESTAMPTZ NOT NULL
);
