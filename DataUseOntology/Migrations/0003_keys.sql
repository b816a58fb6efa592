-- One row per loaded ontology and per position of a dataset's conditions: two loads of one prefix, or two
-- `dataset use` of one dataset, at once now fail at commit instead of leaving both copies.
SELECT CASE WHEN EXISTS (SELECT prefix FROM ontology.ontologies GROUP BY prefix HAVING count(*) > 1)
    THEN error('ontology.ontologies holds one prefix twice (concurrent loads of an earlier genome-node); with that version, load the ontology again, then start this version')
END;
SELECT CASE WHEN EXISTS (SELECT 1 FROM ontology.dataset_conditions GROUP BY dataset_id, position HAVING count(*) > 1)
    THEN error('ontology.dataset_conditions holds two sets of conditions for one dataset (concurrent dataset use of an earlier genome-node); with that version, run dataset use again, then start this version')
END;
-- Rebuilt with the keys in the table definitions (DuckDB checks keys added afterwards too eagerly for a replacement,
-- which deletes and inserts the same key in one transaction).
CREATE TABLE ontology.ontologies_0003 (
    prefix     VARCHAR NOT NULL PRIMARY KEY,
    title      VARCHAR,
    version    VARCHAR,
    source     VARCHAR NOT NULL,
    format     VARCHAR NOT NULL,
    term_count INTEGER NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
INSERT INTO ontology.ontologies_0003 SELECT * FROM ontology.ontologies;
DROP TABLE ontology.ontologies;
ALTER TABLE ontology.ontologies_0003 RENAME TO ontologies;

CREATE TABLE ontology.dataset_conditions_0003 (
    dataset_id VARCHAR NOT NULL,
    role       VARCHAR NOT NULL CHECK (role IN ('permission', 'modifier', 'disease')),
    term_id    VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, position)
);
INSERT INTO ontology.dataset_conditions_0003 SELECT * FROM ontology.dataset_conditions;
DROP TABLE ontology.dataset_conditions;
ALTER TABLE ontology.dataset_conditions_0003 RENAME TO dataset_conditions;
