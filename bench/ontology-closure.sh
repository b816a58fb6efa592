#!/usr/bin/env bash
# Descendant queries from the DuckDB closure table, per term, on the shipped DUO, HPO's GO and HsapDv import modules
# and a synthetic HPO-sized ontology; against a bare DuckDB round trip and an in-memory graph walk in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/OntologyClosure -- "$PWD"
