-- Loaded ontologies, one row each, replaced whole when the same prefix is loaded again.
CREATE TABLE ontology.ontologies (
    prefix     VARCHAR NOT NULL,
    title      VARCHAR,
    version    VARCHAR,
    source     VARCHAR NOT NULL,
    format     VARCHAR NOT NULL,
    term_count INTEGER NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE ontology.terms (
    ontology    VARCHAR NOT NULL,
    id          VARCHAR NOT NULL,
    label       VARCHAR,
    definition  VARCHAR,
    shorthand   VARCHAR,
    is_obsolete BOOLEAN NOT NULL,
    replaced_by VARCHAR
);

CREATE TABLE ontology.synonyms (
    ontology VARCHAR NOT NULL,
    term_id  VARCHAR NOT NULL,
    synonym  VARCHAR NOT NULL,
    scope    VARCHAR NOT NULL
);

-- child -> parent: is_a (subClassOf) and named relations (part_of, OWL existential restrictions, ...).
CREATE TABLE ontology.edges (
    ontology VARCHAR NOT NULL,
    child    VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    parent   VARCHAR NOT NULL
);

-- Reflexive transitive closure of is_a, written ordered by ancestor so that "descendants of X" is one pruned scan
-- and a filter with descendant expansion is one join.
CREATE TABLE ontology.closure (
    ontology   VARCHAR NOT NULL,
    ancestor   VARCHAR NOT NULL,
    descendant VARCHAR NOT NULL,
    distance   INTEGER NOT NULL
);

-- The same closure as one list of descendants per ancestor, indexed: "descendants of X" becomes an index lookup of
-- one row instead of a scan, whatever the size of the loaded ontologies. Rewritten with the closure.
CREATE TABLE ontology.descendant_lists (
    ontology    VARCHAR NOT NULL,
    ancestor    VARCHAR NOT NULL,
    descendants VARCHAR[] NOT NULL
);
CREATE INDEX descendant_lists_ancestor ON ontology.descendant_lists (ancestor);

-- A dataset's data-use conditions: one DUO permission, its modifiers, and disease restrictions for DS.
CREATE TABLE ontology.dataset_conditions (
    dataset_id VARCHAR NOT NULL,
    role       VARCHAR NOT NULL CHECK (role IN ('permission', 'modifier', 'disease')),
    term_id    VARCHAR NOT NULL,
    position   INTEGER NOT NULL
);
