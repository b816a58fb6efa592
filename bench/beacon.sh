#!/usr/bin/env bash
# Beacon VCF ingest and g_variants queries, on a synthetic VCF (200,000 variants x 100 samples, fixed seed), against
# peers measured in the same run:
#   ingest        genome-node ingest vcf (whole command, wall clock) / bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n'
#   db-size       growth of node.duckdb from the ingest / the bgzipped VCF (the whole file, with the shipped DUO, as detail)
#   ingest-annotated, db-size-annotated
#                 the same for the same variants phased (0|1, 1|0) with SnpEff's ANN on every record (--annotated)
#   g_variants    wrk throughput of sequence queries (random stored variants, Lua) / a bare endpoint of the same Kestrel
#                 answering a fixed response of the same size; p50/p99 latencies of both
# Each figure is the median of RUNS runs (default 3). BENCH_INGEST_ONLY=1 stops after the ingest figures. Needs bcftools, bgzip, python3, wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$repo/bench/work/beacon
runs=${RUNS:-3}
duration=${WRK_DURATION:-10s}
connections=${WRK_CONNECTIONS:-16}
port=${BENCH_PORT:-18931}
mkdir -p "$work"

source bench/lib.sh
bench_require bench/beacon.sh bcftools bgzip python3 wrk bc time

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# As a node is deployed: published for the platform, precompiled (ReadyToRun).
dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
node=$work/bin/genome-node

vcf=$work/synthetic-200k-100.vcf.gz
# The same variants and genotypes, every record phased and annotated as SnpEff writes it (2-3 transcripts a gene).
annotated=$work/synthetic-200k-100-annotated-phased.vcf.gz
generate() { # file, extra generator options; made again when the generator changed
  [[ -s $1 && $1 -nt bench/synthetic-vcf.py ]] && return
  echo "generating $1" >&2
  python3 bench/synthetic-vcf.py 200000 100 --seed 20261123 "${@:2}" | bgzip -@2 > "$1.tmp"
  mv "$1.tmp" "$1"
}
generate "$vcf"
generate "$annotated" --annotated --phased

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
# CPU seconds (user + system) of a command: on a loaded machine a steadier measure than wall time.
cpu_seconds() { /usr/bin/time -f '%U + %S' -o "$work/cpu.time" "$@" >/dev/null 2>&1; bc -l <"$work/cpu.time"; }

# --- ingest vs bcftools query, alternating so both see the same machine load ---
measure_ingest() { # figure suffix, VCF
  local suffix=$1 file=$2 run data before after start
  local ingest_times=() inner_times=() query_times=() growths=() totals=() ingest_cpus=() query_cpus=()
  for ((run = 1; run <= runs; run++)); do
    data=$work/data$suffix-$run
    rm -rf "$data"
    "$node" dataset add --data "$data" --id bench --name "bench (synthetic)" --tier public >/dev/null 2>&1
    before=$(stat -c %s "$data/node.duckdb")
    start=$(date +%s.%N)
    /usr/bin/time -f '%U + %S' -o "$work/cpu.time" "$node" ingest vcf --data "$data" --dataset bench "$file" >"$work/ingest$suffix.out" 2>/dev/null
    ingest_times+=("$(echo "$(date +%s.%N) - $start" | bc -l)")
    ingest_cpus+=("$(bc -l <"$work/cpu.time")")
    # The command reports the ingest itself (without process start-up and opening the database).
    inner_times+=("$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' "$work/ingest$suffix.out")")
    # The command has closed the database: DuckDB's checkpoint has folded the WAL into the file.
    [[ ! -s $data/node.duckdb.wal ]] || { echo "$data/node.duckdb.wal is left after the ingest" >&2; exit 1; }
    after=$(stat -c %s "$data/node.duckdb")
    growths+=("$((after - before))")
    totals+=("$after")
    query_times+=("$(seconds bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n' "$file")")
    query_cpus+=("$(cpu_seconds bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n' "$file")")
  done
  local ingest inner query growth total vcf_size records ingest_cpu query_cpu
  ingest=$(printf '%s\n' "${ingest_times[@]}" | median)
  inner=$(printf '%s\n' "${inner_times[@]}" | median)
  query=$(printf '%s\n' "${query_times[@]}" | median)
  growth=$(printf '%s\n' "${growths[@]}" | median)
  total=$(printf '%s\n' "${totals[@]}" | median)
  ingest_cpu=$(printf '%s\n' "${ingest_cpus[@]}" | median)
  query_cpu=$(printf '%s\n' "${query_cpus[@]}" | median)
  vcf_size=$(stat -c %s "$file")
  records=$(sed -n 's/.*: \([0-9]*\) records.*/\1/p' "$work/ingest$suffix.out")
  printf 'ingest%s: %.2f (genome-node ingest vcf %.2f s / bcftools query %.2f s; the ingest alone, without start-up: %.2f s = %.2f; CPU user+system %.2f s / %.2f s = %.2f; %s records of %s; median of %d; target <= 1.0)\n' \
    "$suffix" "$(echo "$ingest / $query" | bc -l)" "$ingest" "$query" "$inner" "$(echo "$inner / $query" | bc -l)" \
    "$ingest_cpu" "$query_cpu" "$(echo "$ingest_cpu / $query_cpu" | bc -l)" "$records" "${file##*/}" "$runs"
  printf 'db-size%s: %.2f (node.duckdb grew %.1f MB / VCF.gz %.1f MB; whole file %.1f MB = %.2f incl. the shipped ontologies; target <= 1.0)\n' \
    "$suffix" "$(echo "$growth / $vcf_size" | bc -l)" "$(echo "$growth / 1000000" | bc -l)" "$(echo "$vcf_size / 1000000" | bc -l)" \
    "$(echo "$total / 1000000" | bc -l)" "$(echo "$total / $vcf_size" | bc -l)"
  for ((run = 2; run <= runs; run++)); do rm -rf "$work/data$suffix-$run"; done
}
measure_ingest "" "$vcf"
measure_ingest -annotated "$annotated"
[[ ${BENCH_INGEST_ONLY:-0} != 1 ]] || exit 0

# --- g_variants throughput vs a bare endpoint of the same Kestrel ---
data=$work/data-1
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$vcf" | awk -F'\t' 'BEGIN {srand(7)} $4 !~ /,/ && rand() < 0.05 {print}' > "$work/positions.tsv"
cat > "$work/g_variants.lua" <<LUA
local paths = {}
for line in io.lines("$work/positions.tsv") do
  local chrom, pos, ref, alt = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
  paths[#paths + 1] = "/api/g_variants?referenceName=" .. chrom .. "&start=" .. (tonumber(pos) - 1) ..
    "&referenceBases=" .. ref .. "&alternateBases=" .. alt
end
math.randomseed(42)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA

"$node" serve --data "$data" --urls "http://127.0.0.1:$port" --Beacon:BenchmarkEndpoint=true \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done

first=$(head -1 "$work/positions.tsv")
IFS=$'\t' read -r chrom pos ref alt <<<"$first"
sample="/api/g_variants?referenceName=$chrom&start=$((pos - 1))&referenceBases=$ref&alternateBases=$alt"
size=$(curl -s "http://127.0.0.1:$port$sample" | wc -c)
grep -q '"exists":true' <(curl -s "http://127.0.0.1:$port$sample") || { echo "the stored variant $first is not found" >&2; exit 1; }

wrk_run() { wrk -t2 -c"$connections" -d"$duration" --latency "$@" 2>&1; }
rps() { awk '/^Requests\/sec:/ {print $2}'; }
pct() { awk -v p="$1" '$1 == p {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}'; }

wrk -t1 -c4 -d2s -s "$work/g_variants.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 # warm-up (JIT, DuckDB caches)
wrk -t1 -c4 -d2s "http://127.0.0.1:$port/bench/fixed?size=$size" >/dev/null 2>&1
q_rps=() b_rps=() q50=() q99=() b50=() b99=()
for ((run = 1; run <= runs; run++)); do
  out=$(wrk_run -s "$work/g_variants.lua" "http://127.0.0.1:$port")
  q_rps+=("$(rps <<<"$out")"); q50+=("$(pct 50% <<<"$out")"); q99+=("$(pct 99% <<<"$out")")
  out=$(wrk_run "http://127.0.0.1:$port/bench/fixed?size=$size")
  b_rps+=("$(rps <<<"$out")"); b50+=("$(pct 50% <<<"$out")"); b99+=("$(pct 99% <<<"$out")")
done
qr=$(printf '%s\n' "${q_rps[@]}" | median); br=$(printf '%s\n' "${b_rps[@]}" | median)
printf 'g_variants-throughput: %.2f (sequence queries %.0f req/s / bare endpoint %.0f req/s, %d-byte responses; median of %d; target >= 0.5)\n' \
  "$(echo "$qr / $br" | bc -l)" "$qr" "$br" "$size" "$runs"
printf 'g_variants-latency: p50 %.2f ms, p99 %.2f ms (bare endpoint p50 %.2f ms, p99 %.2f ms; wrk -t2 -c%d)\n' \
  "$(printf '%s\n' "${q50[@]}" | median)" "$(printf '%s\n' "${q99[@]}" | median)" \
  "$(printf '%s\n' "${b50[@]}" | median)" "$(printf '%s\n' "${b99[@]}" | median)" "$connections"
