-- Variants, individuals and other Beacon entries live in their own schema.
CREATE SCHEMA IF NOT EXISTS beacon;
