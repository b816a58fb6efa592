-- Registered read and variant files with their parsed indexes live in their own schema.
CREATE SCHEMA IF NOT EXISTS htsget;
