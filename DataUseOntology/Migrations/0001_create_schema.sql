-- Ontology graphs (DUO and OBO/OWL terms for filters) live in their own schema.
CREATE SCHEMA IF NOT EXISTS ontology;
