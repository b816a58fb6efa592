#!/usr/bin/env bash
# The Beacon store at 1000 Genomes width: 2,504 samples x 1,000,000 variants (a tenth of 1000 Genomes' length), to
# see how ingest, the database and queries grow (docs/beacon-store.md, "How it grows"). Prints:
#   scale-ingest   genome-node ingest vcf wall time, variants/s, peak RSS; / bcftools query over the same file
#   scale-db-size  growth of node.duckdb / the bgzipped VCF
#   scale-query-*  median time of one request of each query kind over random stored variants, as a client keeping its
#                  connection sees it (one curl over loopback for all of a kind's requests, one at a time): -after-start
#                  on a node just started, -in-service on one started again and warmed up on other variants
# The VCF is synthetic (bench/synthetic-vcf.py, BASE_VARIANTS x SAMPLES, fixed seed) laid COPIES times end to end on
# chr1, so its making stays a few minutes; made once under bench/work/beacon-scale. About 10 minutes the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$PWD/bench/work/beacon-scale
samples=${SAMPLES:-2504}
base_variants=${BASE_VARIANTS:-100000}
copies=${COPIES:-10}
queries=${QUERIES:-100}
port=${BENCH_PORT:-18932}
mkdir -p "$work"

source bench/lib.sh
bench_require bench/beacon-scale.sh bcftools bgzip python3 mawk curl bc time

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
node=$work/bin/genome-node

base=$work/base-$base_variants-$samples.vcf.gz
vcf=$work/synthetic-$((base_variants * copies))-$samples.vcf.gz
if [[ ! -s $base ]]; then
  echo "generating $base" >&2
  python3 bench/synthetic-vcf.py "$base_variants" "$samples" --seed 20261203 | bgzip -@2 > "$base.tmp"
  mv "$base.tmp" "$base"
  rm -f "$vcf"
fi
# Copy k of a record of chrN lies on chr1 at (N - 1) Mb + k x 22 Mb + POS: one sorted chromosome.
relocate='t1 = index($0, "\t"); chrom = substr($0, 4, t1 - 4); rest = substr($0, t1 + 1); t2 = index(rest, "\t")
  pos = substr(rest, 1, t2 - 1) + (chrom - 1) * 1000000 + k * 22000000'
if [[ ! -s $vcf ]]; then
  echo "generating $vcf" >&2
  {
    zcat "$base" | mawk '/^##contig/ {next} /^#CHROM/ {print "##contig=<ID=chr1,length=250000000>"} /^#/ {print}'
    for ((k = 0; k < copies; k++)); do
      zcat "$base" | mawk -v k="$k" "BEGIN {FS = \"\\n\"} !/^#/ { $relocate; printf \"chr1\\t%d%s\\n\", pos, substr(rest, t2) }"
    done
  } | bgzip -@2 > "$vcf.tmp"
  mv "$vcf.tmp" "$vcf"
fi

data=$work/data
rm -rf "$data"
"$node" dataset add --data "$data" --id scale --name "scale (synthetic)" --tier public >/dev/null 2>&1
before=$(stat -c %s "$data/node.duckdb")
/usr/bin/time -f '%e %M' -o "$work/ingest.time" "$node" ingest vcf --data "$data" --dataset scale "$vcf" >"$work/ingest.out" 2>/dev/null
read -r ingest_seconds ingest_kb <"$work/ingest.time"
variants=$(sed -n 's/.*records, \([0-9]*\) variants.*/\1/p' "$work/ingest.out")
growth=$(($(stat -c %s "$data/node.duckdb") - before))
start=$(date +%s.%N)
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n' "$vcf" >/dev/null
query_seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
vcf_size=$(stat -c %s "$vcf")
printf 'scale-ingest: %.2f (genome-node ingest vcf %.1f s, %.0f variants/s, peak RSS %d MB / bcftools query %.1f s; %d variants x %d samples)\n' \
  "$(echo "$ingest_seconds / $query_seconds" | bc -l)" "$ingest_seconds" "$(echo "$variants / $ingest_seconds" | bc -l)" \
  "$((ingest_kb / 1024))" "$query_seconds" "$variants" "$samples"
printf 'scale-db-size: %.2f (node.duckdb grew %.0f MB, %.0f bytes per variant / VCF.gz %.0f MB)\n' \
  "$(echo "$growth / $vcf_size" | bc -l)" "$(echo "$growth / 1000000" | bc -l)" "$(echo "$growth / $variants" | bc -l)" \
  "$(echo "$vcf_size / 1000000" | bc -l)"

start_node() { # the node on the scale data, once it answers and its in-memory index is built (DuckDB answers until then)
  "$node" serve --data "$data" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >"$work/serve.log" 2>&1 &
  server=$!
  wait_http "http://127.0.0.1:$port/health" 60 || { echo "the node did not start (see $work/serve.log)" >&2; exit 1; }
  wait_beacon_index "http://127.0.0.1:$port" 600 ||
    { echo "the Beacon index was not built within 10 minutes (see $work/serve.log)" >&2; exit 1; }
}
random_records() { # SEED EXPECTED [LIMIT]: about EXPECTED random stored biallelic records, at most LIMIT (from the
  # base file, each moved as one of its copies)
  zcat "$base" | mawk -v p="$(echo "$2 / $base_variants" | bc -l)" -v copies="$copies" -v limit="${3:-1000000000}" "BEGIN {FS = \"\\n\"; srand($1)}
    !/^#/ && rand() < p { k = int(rand() * copies); $relocate
      split(substr(rest, t2 + 1), f, \"\\t\")
      if (f[3] !~ /,/ && ++picked <= limit) printf \"chr1\\t%d\\t%s\\t%s\\n\", pos, f[2], f[3] }"
}
random_records 11 $((queries * 2)) "$queries" >"$work/picks.tsv"
trap 'kill "${server:-}" 2>/dev/null || true' EXIT
start_node
api=http://127.0.0.1:$port/api/g_variants
query() { # KIND CHROM START REF ALT: the request's parameters
  case $1 in
    sequence-count) echo "referenceName=$2&start=$3&referenceBases=$4&alternateBases=$5&requestedGranularity=count";;
    sequence-record) echo "referenceName=$2&start=$3&referenceBases=$4&alternateBases=$5&requestedGranularity=record";;
    range-100kb-count) echo "referenceName=$2&start=$3&end=$(($3 + 100000))&requestedGranularity=count";;
    range-100kb-record) echo "referenceName=$2&start=$3&end=$(($3 + 100000))&requestedGranularity=record&limit=10";;
    chromosome-deletions-count) echo "referenceName=$2&start=0&end=250000000&variantType=DEL&variantMinLength=$(($3 % 5 + 1))&requestedGranularity=count";;
  esac
}
IFS=$'\t' read -r chrom pos ref alt <"$work/picks.tsv"
curl -fsS "$api?$(query sequence-count "$chrom" $((pos - 1)) "$ref" "$alt")" | grep -q '"exists":true' ||
  { echo "the stored variant $chrom:$pos $ref>$alt is not found" >&2; exit 1; }
kinds=(sequence-count sequence-record range-100kb-count range-100kb-record chromosome-deletions-count)
requests() { # KIND PICKS: a curl config asking KIND once per pick
  while IFS=$'\t' read -r chrom pos ref alt; do
    printf 'url = "%s?%s"\noutput = /dev/null\n' "$api" "$(query "$1" "$chrom" $((pos - 1)) "$ref" "$alt")"
  done <"$2"
}
measure() { # LABEL: each kind over the picks; one curl for all of a kind's requests keeps its connection, so a
  # request's time is the node's and the loopback's, not a process start and a TCP handshake (about 1.7 ms each here)
  for kind in "${kinds[@]}"; do
    requests "$kind" "$work/picks.tsv" >"$work/requests.curl"
    mapfile -t times < <(curl -fsS --config "$work/requests.curl" -w '%{time_total}\n')
    printf 'scale-query-%s%s: %.1f ms (median of %d, one request at a time over one connection)\n' "$kind" "$1" \
      "$(printf '%s\n' "${times[@]}" | median | awk '{print $1 * 1000}')" "${#times[@]}"
  done
}
# First the requests of a node just started (their code still in the JIT's first tier), then of a node in service:
# a fresh start, the same kinds over 200 other random variants, each at least 200 kb from every measured one (so
# nothing they read is a measured request's record or row), then the measured ones.
measure -after-start
random_records 12 400 |
  mawk -v far=200000 'NR == FNR { measured[NR] = $2; n = NR; next }
    { for (i = 1; i <= n; i++) if ($2 - measured[i] < far && measured[i] - $2 < far) next; if (++kept <= 200) print }' \
    "$work/picks.tsv" - >"$work/warm-up.tsv"
kill "$server"; wait "$server" 2>/dev/null || true
start_node
for kind in "${kinds[@]}"; do
  requests "$kind" "$work/warm-up.tsv" >"$work/requests.curl"
  curl -fsS --config "$work/requests.curl" >/dev/null
done
echo "scale-warm-up: $(wc -l <"$work/warm-up.tsv") other variants, each kind" >&2
measure -in-service
