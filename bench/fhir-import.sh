#!/usr/bin/env bash
# FHIR R4 import throughput, end to end, on a synthetic bulk export (bench/FhirExport: INDIVIDUALS individuals, default
# 10,000, each with a sex and birth date, 0-4 Conditions, 4 Observations, a Procedure, a Specimen, one in five a
# FamilyMemberHistory: about 92,000 resources; fixed seed), against a peer in the same run:
#   fhir-import   genome-node ingest fhir (the whole command: start-up, reading, mapping, the one transaction)
#                 / jq -c '.resourceType' over the same NDJSON files (a JSON parser reading every resource, nothing more)
#                 with documents/s (individuals + biosamples written) and resources/s (NDJSON lines read)
# The median of RUNS runs (default 3), each into a fresh data directory. Needs jq, bc and /usr/bin/time (apt-get install jq bc time).
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work/fhir-import
runs=${RUNS:-3}
individuals=${INDIVIDUALS:-10000}
seed=20261205
mkdir -p "$work"

source bench/lib.sh
bench_require bench/fhir-import.sh dotnet jq bc time

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# As a node is deployed: published for the platform, precompiled (ReadyToRun).
dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
node=$work/bin/genome-node

export_dir=$work/export-$individuals-$seed
if [[ ! -s $export_dir/Patient.ndjson || bench/FhirExport/SyntheticFhirExport.cs -nt $export_dir/Patient.ndjson ]]; then
  echo "generating $export_dir" >&2
  rm -rf "$export_dir"
  dotnet run -c Release --project bench/FhirExport -- "$individuals" "$seed" "$export_dir" >&2
fi
resources=$(cat "$export_dir"/*.ndjson | wc -l)
bytes=$(cat "$export_dir"/*.ndjson | wc -c)

now() { date +%s.%N; }
import_times=() import_cpus=() peer_times=() peer_cpus=()
for ((run = 1; run <= runs; run++)); do
  data=$work/data-$run
  rm -rf "$data"
  "$node" dataset add --data "$data" --id bench --name "bench (synthetic)" --tier public >/dev/null 2>&1
  start=$(now)
  /usr/bin/time -f '%U + %S' -o "$work/cpu.time" "$node" ingest fhir --data "$data" --dataset bench "$export_dir" >"$work/import.out" 2>"$work/import.err" \
    || { echo "the import failed:" >&2; cat "$work/import.err" >&2; exit 1; }
  import_times+=("$(echo "$(now) - $start" | bc -l)")
  import_cpus+=("$(bc -l <"$work/cpu.time")")
  # Alternating with the import, so that both see the same machine load.
  start=$(now)
  /usr/bin/time -f '%U + %S' -o "$work/cpu.time" jq -c '.resourceType' "$export_dir"/*.ndjson >/dev/null
  peer_times+=("$(echo "$(now) - $start" | bc -l)")
  peer_cpus+=("$(bc -l <"$work/cpu.time")")
  ((run == 1)) || rm -rf "$data"
done

# "imported DIR (fhir) into dataset 'bench': 10000 individuals, 10000 biosamples (10000 new individuals)"
summary=$(head -1 "$work/import.out")
stored_individuals=$(sed -n 's/.*: \([0-9]*\) individuals.*/\1/p' <<<"$summary")
stored_biosamples=$(sed -n 's/.* \([0-9]*\) biosamples.*/\1/p' <<<"$summary")
[[ $stored_individuals == "$individuals" ]] || { echo "the import stored '$stored_individuals' individuals, not $individuals: $summary" >&2; exit 1; }
documents=$((stored_individuals + stored_biosamples))
import=$(printf '%s\n' "${import_times[@]}" | median)
import_cpu=$(printf '%s\n' "${import_cpus[@]}" | median)
peer=$(printf '%s\n' "${peer_times[@]}" | median)
peer_cpu=$(printf '%s\n' "${peer_cpus[@]}" | median)
printf 'fhir-import: %.2f (genome-node ingest fhir %.2f s / jq %.2f s over the same %d resources, %.1f MB; %.0f documents/s (%d individuals + %d biosamples), %.0f resources/s; CPU user+system %.2f s / %.2f s = %.2f; median of %d)\n' \
  "$(echo "$import / $peer" | bc -l)" "$import" "$peer" "$resources" "$(echo "$bytes / 1000000" | bc -l)" \
  "$(echo "$documents / $import" | bc -l)" "$stored_individuals" "$stored_biosamples" "$(echo "$resources / $import" | bc -l)" \
  "$import_cpu" "$peer_cpu" "$(echo "$import_cpu / $peer_cpu" | bc -l)" "$runs"
