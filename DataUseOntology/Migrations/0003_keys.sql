-- One row per loaded ontology and per position of a dataset's conditions: two loads of one prefix, or two
-- `dataset use` of one dataset, at once now fail at commit instead of leaving both copies.
SELECT CASE WHEN EXISTS (SELECT prefix FROM ontology.ontologies GROUP BY prefix HAVING count(*) > 1)
    THEN error('ontology.ontologies holds one prefix twice (concurrent loads of an earlier genome-node); with that version, load the ontology again, then start this version')
END;
SELECT CASE WHEN EXISTS (SELECT 1 FROM ontology.dataset_conditions GROUP BY dataset_id, position HAVING count(*) > 1)
    THEN error('ontology.dataset_conditions holds two sets of conditions for one dataset (concurrent dataset use of an earlier genome-node); with that version, run dataset use again, then start this version')
END;
ALTER TABLE ontology.ontologies ADD PRIMARY KEY (prefix);
ALTER TABLE ontology.dataset_conditions ADD PRIMARY KEY (dataset_id, position);
