#!/usr/bin/env bash
# Every query kind the node serves, one at a time and mixed, against the node's own static endpoint in the same run
# (issue 16). On the built-in demo (a fresh data directory seeds it), and with SCALE=1 also on the scale bench's
# 1,000,000 x 2,504 dataset (bench/beacon-scale.sh makes and ingests it; about 10 minutes the first time).
#   kind-<name>   wrk -t2 -c8 on one request kind / the static endpoint (/api/info) in the same run; target >= 0.1
#   mixed         wrk -t2 -c64 for MIXED_DURATION over all kinds in rotation: req/s / static req/s at 64 connections
#                 (target >= 0.1), p50/p99 (p99 target < 50 ms), errors (target 0), resident memory before, during
#                 (peak) and after (target: after within 50 MB of before)
#   scale-mixed   (SCALE=1) the same over random count and record queries on the scale dataset, with its memory
#                 (scale-mixed-memory); one request at a time there is bench/beacon-scale.sh (count and record p50 < 5 ms)
# Needs wrk, curl, python3, bc (installed as root with apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$repo/bench/work/mixed
duration=${WRK_DURATION:-10s}
mixed_duration=${MIXED_DURATION:-60s}
port=${BENCH_PORT:-18941}
mkdir -p "$work"

source bench/lib.sh
bench_require bench/mixed-load.sh wrk curl python3 bc

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ -z ${BENCH_NO_BUILD:-} ]]; then
  # As a node is deployed: published for the platform, precompiled (ReadyToRun).
  dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
fi
node=$work/bin/genome-node
base=http://127.0.0.1:$port

data=$work/demo-data
rm -rf "$data"
"$node" serve --data "$data" --urls "$base" \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
wait_http "$base/health" 120 || { echo "the node did not start; see $work/serve.log" >&2; exit 1; }
wait_beacon_index "$base" 120 || { echo "the Beacon index was not built; see $work/serve.log" >&2; exit 1; }

rss() { awk '/^VmRSS:/ {print $2 / 1024}' "/proc/$server/status"; }
wrk_rps() { awk '/^Requests\/sec:/ {print $2}'; }
wrk_pct() { awk -v p="$1" '$1 == p {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}'; }
wrk_errors() { awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}'; }
# The mix over 64 connections from a wrk script ($1) into $out, with the node's resident memory before, every half
# second during (the peak), and 5 s after it (before, peak, after).
mixed_run() {
  before=$(rss)
  ( while kill -0 "$server" 2>/dev/null; do rss; sleep 0.5; done ) > "$work/rss.samples" &
  local sampler=$!
  out=$(wrk -t2 -c64 -d"$mixed_duration" --latency -s "$1" "$base" 2>&1)
  kill "$sampler" 2>/dev/null || true
  peak=$(sort -g "$work/rss.samples" | tail -1)
  sleep 5
  after=$(rss)
}
print_memory() {
  printf '%s: %.0f MB before, %.0f MB peak, %.0f MB after (after - before %.0f MB; target <= 50)\n' \
    "$1" "$before" "$peak" "$after" "$(echo "$after - $before" | bc -l)"
}

# The request kinds of issue 16's table, on the demo (its BRCA1 variants; htsget objects demo-reads, demo-variants).
declare -A kinds=(
  [sequence-boolean]="/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A"
  [sequence-record]="/api/g_variants?referenceName=chr17&start=43045711&referenceBases=G&alternateBases=A&requestedGranularity=record"
  [variant-id-record]="/api/g_variants/17:43045711:G:A?requestedGranularity=record"
  [range-count]="/api/g_variants?referenceName=NC_000017.11&start=43044294&end=43125483&requestedGranularity=count"
  [gene-count]="/api/g_variants?geneId=BRCA1&variantType=SNP&requestedGranularity=count"
  [gene-aa-record]="/api/g_variants?geneId=BRCA1&aminoacidChange=p.Arg1831Trp&requestedGranularity=record"
  [hgvs-boolean]="/api/g_variants?genomicAlleleShortForm=NC_000017.11:g.43045712G%3EA"
  [htsget-reads-ticket]="/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43126000"
  [htsget-variants-ticket]="/htsget/variants/demo-variants?referenceName=chr17&start=43044000&end=43126000"
  [data-use]="/dataUse/datasets/demo"
  [beacon-info]="/api/info"
  [service-info]="/service-info"
)
order=(sequence-boolean sequence-record variant-id-record range-count gene-count gene-aa-record hgvs-boolean
  htsget-reads-ticket htsget-variants-ticket data-use beacon-info service-info)
for name in "${order[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base${kinds[$name]}")
  [[ $status == 200 ]] || { echo "$name answered $status: ${kinds[$name]}" >&2; exit 1; }
done

# --- one kind at a time, beside the static endpoint ---
static_path=/api/info
wrk -t2 -c8 -d2s "$base$static_path" >/dev/null 2>&1 # warm-up (JIT, caches)
for name in "${order[@]}"; do wrk -t1 -c2 -d1s "$base${kinds[$name]}" >/dev/null 2>&1; done
# The static endpoint before and after the kinds; ratios are over the faster of the two (other work on the machine
# slows one or the other, and the faster one gives the lower, safer ratios).
static_before=$(wrk -t2 -c8 -d"$duration" "$base$static_path" 2>&1 | wrk_rps)
declare -A measured=()
for name in "${order[@]}"; do
  measured[$name]=$(wrk -t2 -c8 -d"$duration" --latency "$base${kinds[$name]}" 2>&1)
done
static_after=$(wrk -t2 -c8 -d"$duration" "$base$static_path" 2>&1 | wrk_rps)
static=$(echo "if ($static_before > $static_after) $static_before else $static_after" | bc -l)
printf 'static: %.0f req/s (%s, wrk -t2 -c8 -d%s; %.0f before the kinds, %.0f after)\n' "$static" "$static_path" "$duration" \
  "$static_before" "$static_after"
for name in "${order[@]}"; do
  out=${measured[$name]}
  printf 'kind-%s: %.3f (%.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors; target >= 0.1)\n' "$name" \
    "$(echo "$(wrk_rps <<<"$out") / $static" | bc -l)" "$(wrk_rps <<<"$out")" "$(wrk_pct 50% <<<"$out")" \
    "$(wrk_pct 99% <<<"$out")" "$(wrk_errors <<<"$out")"
done

# --- the mix over 64 connections, with memory before, during and after ---
cat > "$work/mixed.lua" <<LUA
local paths = {
$(for name in "${order[@]}"; do printf '  "%s",\n' "${kinds[$name]}"; done)
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
static64=$(wrk -t2 -c64 -d"$duration" "$base$static_path" 2>&1 | wrk_rps)
mixed_run "$work/mixed.lua"
printf 'mixed: %.3f (%.0f req/s over %d kinds / static %.0f req/s at 64 connections; p50 %.2f ms, p99 %.2f ms; %d errors; targets >= 0.1, p99 < 50 ms, 0 errors)\n' \
  "$(echo "$(wrk_rps <<<"$out") / $static64" | bc -l)" "$(wrk_rps <<<"$out")" "${#order[@]}" "$static64" \
  "$(wrk_pct 50% <<<"$out")" "$(wrk_pct 99% <<<"$out")" "$(wrk_errors <<<"$out")"
print_memory mixed-memory
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true

[[ -n ${SCALE:-} ]] || exit 0

# --- at scale: the scale bench's dataset (its per-kind latencies, one request at a time, are bench/beacon-scale.sh's
# scale-query-* lines), under the mixed load of its query kinds ---
scale_work=$repo/bench/work/beacon-scale
if [[ ! -s $scale_work/data/node.duckdb || ! -s $scale_work/picks.tsv ]]; then
  echo "preparing the scale dataset with bench/beacon-scale.sh" >&2
  bash bench/beacon-scale.sh >&2
fi
"$node" serve --data "$scale_work/data" --urls "$base" --Node:SeedDemo=false \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning >"$work/serve-scale.log" 2>&1 &
server=$!
wait_http "$base/health" 300 || { echo "the node did not start on the scale data; see $work/serve-scale.log" >&2; exit 1; }
cat > "$work/scale.lua" <<LUA
local paths = {}
for line in io.lines("$scale_work/picks.tsv") do
  local chrom, pos, ref, alt = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
  local start = tonumber(pos) - 1
  local seq = "/api/g_variants?referenceName=" .. chrom .. "&start=" .. start .. "&referenceBases=" .. ref .. "&alternateBases=" .. alt
  paths[#paths + 1] = seq .. "&requestedGranularity=count"
  paths[#paths + 1] = seq .. "&requestedGranularity=record"
  local range = "/api/g_variants?referenceName=" .. chrom .. "&start=" .. start .. "&end=" .. (start + 100000)
  paths[#paths + 1] = range .. "&requestedGranularity=count"
  paths[#paths + 1] = range .. "&requestedGranularity=record&limit=10"
end
math.randomseed(42)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
wait_beacon_index "$base" 600 || { echo "the Beacon index was not built within 10 minutes; see $work/serve-scale.log" >&2; exit 1; }
wrk -t1 -c4 -d5s -s "$work/scale.lua" "$base" >/dev/null 2>&1 # warm-up (JIT, individual ids)
static64=$(wrk -t2 -c64 -d"$duration" "$base$static_path" 2>&1 | wrk_rps)
mixed_run "$work/scale.lua"
printf 'scale-mixed: %.3f (%.0f req/s of sequence and 100 kb range count and record queries at random stored variants / static %.0f req/s at 64 connections; p50 %.2f ms, p99 %.2f ms; %d errors)\n' \
  "$(echo "$(wrk_rps <<<"$out") / $static64" | bc -l)" "$(wrk_rps <<<"$out")" "$static64" \
  "$(wrk_pct 50% <<<"$out")" "$(wrk_pct 99% <<<"$out")" "$(wrk_errors <<<"$out")"
print_memory scale-mixed-memory
