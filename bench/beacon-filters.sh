#!/usr/bin/env bash
# Filtered individual counts at the scale bench's size (issue 18): the 1,000,000 x 2,504 dataset of
# bench/beacon-scale.sh (made and ingested by it when absent, about 10 minutes) with a synthetic individuals.json for
# its 2,504 samples (sex, a disease with an onset age, a phenotype; fixed seed) imported with `ingest bff`. Prints the
# median time of one request at a time over one kept connection (curl), against the node's static /api/info in the
# same run:
#   filters-import          ingest bff of the 2,504 individuals: wall time and documents/s
#   filters-count-<kind>    POST /api/individuals count: sex; sex + onset age < P50Y; sex + one stored variant
#                           (sequence); sex + a 100 kb range; each over QUERIES random stored variants
#   filters-static          GET /api/info (the peer)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
scale=$repo/bench/work/beacon-scale
work=$repo/bench/work/beacon-filters
queries=${QUERIES:-25}
port=${BENCH_PORT:-18953}
mkdir -p "$work"

source bench/lib.sh
bench_require bench/beacon-filters.sh bcftools curl mawk bc

if [[ ! -s $scale/data/node.duckdb || ! -s $scale/picks.tsv ]]; then
  bash bench/beacon-scale.sh >&2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
node=$work/bin/genome-node

# A copy of the scale data, so that beacon-scale.sh's own figures are not changed by the import.
data=$work/data
rm -rf "$data"
cp -r "$scale/data" "$data"
vcf=$(ls "$scale"/synthetic-*-2504.vcf.gz | head -1)
bff=$work/bff
mkdir -p "$bff"
# Deterministic individuals: sex alternates by a hash of the index, one disease (breast carcinoma, hypertension or
# type 2 diabetes) with an onset age of 20-79 years, one phenotype.
bcftools query -l "$vcf" | mawk 'BEGIN { srand(20261205); print "[" }
  {
    sex = rand() < 0.5 ? "{\"id\":\"NCIT:C16576\",\"label\":\"female\"}" : "{\"id\":\"NCIT:C20197\",\"label\":\"male\"}"
    d = int(rand() * 3)
    disease = d == 0 ? "{\"id\":\"NCIT:C4872\",\"label\":\"Breast Carcinoma\"}" : d == 1 ? "{\"id\":\"NCIT:C3117\",\"label\":\"Hypertension\"}" : "{\"id\":\"NCIT:C26747\",\"label\":\"Type 2 Diabetes Mellitus\"}"
    printf "%s{\"id\":\"%s\",\"sex\":%s,\"diseases\":[{\"diseaseCode\":%s,\"ageOfOnset\":{\"iso8601duration\":\"P%dY\"}}],\"phenotypicFeatures\":[{\"featureType\":{\"id\":\"HP:0000822\",\"label\":\"Hypertension\"}}]}\n", (NR > 1 ? "," : ""), $1, sex, disease, 20 + int(rand() * 60)
  }
  END { print "]" }' >"$bff/individuals.json"
start=$(date +%s.%N)
"$node" ingest bff --data "$data" --dataset scale "$bff" >"$work/import.out" 2>&1
seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
individuals=$(mawk 'END { print NR - 2 }' "$bff/individuals.json")
printf 'filters-import: %.1f s (%d individuals, %.0f documents/s, genome-node ingest bff end to end)\n' \
  "$seconds" "$individuals" "$(echo "$individuals / $seconds" | bc -l)"

"$node" serve --data "$data" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$port/health" 60 || { echo "the node did not start (see $work/serve.log)" >&2; exit 1; }
wait_beacon_index "http://127.0.0.1:$port" 600 || { echo "the Beacon index was not built (see $work/serve.log)" >&2; exit 1; }

api=http://127.0.0.1:$port/api
female='{"id":"NCIT:C16576","scope":"individual"}'
early='{"id":"diseases.ageOfOnset.iso8601duration","operator":"<","value":"P50Y","scope":"individual"}'
body() { # KIND CHROM START REF ALT
  case $1 in
    sex) echo "{\"query\":{\"filters\":[$female],\"requestedGranularity\":\"count\"}}";;
    sex-age) echo "{\"query\":{\"filters\":[$female,$early],\"requestedGranularity\":\"count\"}}";;
    sex-sequence) echo "{\"query\":{\"filters\":[$female],\"requestParameters\":{\"referenceName\":\"$2\",\"start\":[$3],\"referenceBases\":\"$4\",\"alternateBases\":\"$5\"},\"requestedGranularity\":\"count\"}}";;
    sex-range-100kb) echo "{\"query\":{\"filters\":[$female],\"requestParameters\":{\"referenceName\":\"$2\",\"start\":[$3],\"end\":[$(($3 + 100000))]},\"requestedGranularity\":\"count\"}}";;
  esac
}
curl -fsS -X POST "$api/individuals" -H 'Content-Type: application/json' -d "$(body sex)" | grep -q '"numTotalResults":[1-9]' ||
  { echo "no woman counted: the import or the filters failed (see $work/import.out)" >&2; exit 1; }
measure() { # the requests in $work/requests.curl, one connection
  sed -i '$ d' "$work/requests.curl" # the last "next" would open a group without a URL
  mapfile -t times < <(curl --config "$work/requests.curl")
  median_ms=$(printf '%s\n' "${times[@]}" | median | awk '{print $1 * 1000}')
}
printf 'url = "%s/info"\noutput = /dev/null\nfail\nsilent\nshow-error\nwrite-out = "%%{time_total}\\n"\nnext\n' "$api" | awk -v n="$queries" '{ a = a $0 "\n" } END { for (i = 0; i < n; i++) printf "%s", a }' >"$work/requests.curl"
measure; static_ms=$median_ms
for kind in sex sex-age sex-sequence sex-range-100kb; do
  while IFS=$'\t' read -r chrom pos ref alt; do
    # "next" starts each request afresh (a POST's method, header and body would otherwise be shared by all).
    printf 'url = "%s/individuals"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "%s"\noutput = /dev/null\nfail\nsilent\nshow-error\nwrite-out = "%%{time_total}\\n"\nnext\n' \
      "$api" "$(body "$kind" "$chrom" $((pos - 1)) "$ref" "$alt" | sed 's/"/\\"/g')"
  done <"$scale/picks.tsv" >"$work/requests.curl"
  measure
  printf 'filters-count-%s: %.1f ms (median of %d, one request at a time over one connection; static /api/info %.1f ms)\n' \
    "$kind" "$median_ms" "$queries" "$static_ms"
done
printf 'filters-static: %.1f ms\n' "$static_ms"
