#!/usr/bin/env bash
# Beacon network fan-out (issue 21, acceptance 4): one node (the demo data) with PARTNERS partners (default 10) that each
# answer g_variants after DELAY ms (default 50), all on loopback (bench/FederationBench serves the partners).
#   fan-out    p50/p99 latency of GET /network/api/g_variants (count granularity: the node's own part plus every
#              partner's, merged), sequential; the figure is p50 / DELAY (the slowest part alone takes DELAY),
#              target <= 1.3. Peers in the same run: one partner asked directly (its DELAY plus HTTP), the node's
#              own /api alone.
#   CPU        the node's CPU time (user + system, /proc) per aggregated query, sequential and with CONCURRENCY (8)
#              queries at once; and per /api query, for comparison.
# Each figure is the median of RUNS runs (default 3). Needs python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${FEDERATION_BENCH_WORK:-$repo/bench/work/federation}
runs=${RUNS:-3}
partners=${PARTNERS:-10}
delay=${DELAY:-50}
requests=${REQUESTS:-300}
concurrency=${CONCURRENCY:-8}
mkdir -p "$work"
log() { echo "federation-bench: $*" >&2; }

source bench/lib.sh
bench_require bench/federation.sh dotnet python3 curl

# As a node is deployed: published for the platform, precompiled (ReadyToRun).
dotnet publish Node.Host -c Release -r linux-x64 --self-contained false -nologo -v q -o "$work/bin" >/dev/null
dotnet build bench/FederationBench -c Release -nologo -v q -o "$work/bench" >/dev/null
node=$work/bin/genome-node
bench="dotnet $work/bench/FederationBench.dll"

server= stub=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [[ -n $stub ]] && kill "$stub" 2>/dev/null && wait "$stub" 2>/dev/null || true
}
trap cleanup EXIT

rm -f "$work/partners.txt"
$bench partners "$partners" "$delay" "$work/partners.txt" &
stub=$!
for _ in $(seq 1 100); do [[ -s $work/partners.txt ]] && break; sleep 0.1; done
[[ -s $work/partners.txt ]] || { log "the partners did not start"; exit 1; }

settings=()
i=0
while read -r url; do
  settings+=("Federation__Partners__${i}__Id=p$i" "Federation__Partners__${i}__BaseUrl=$url")
  i=$((i + 1))
done <"$work/partners.txt"

port=$(free_port)
rm -rf "$work/data"
env "${settings[@]}" Federation__DefaultTimeoutSeconds=5 "$node" serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/node.log" 2>&1 &
server=$!
base=http://127.0.0.1:$port
wait_http "$base/health" 120 || { log "the node did not start"; cat "$work/node.log" >&2; exit 1; }
wait_beacon_index "$base" 120
# Until every partner's metadata is fetched.
for _ in $(seq 1 300); do
  [[ $(curl -fsS "$base/network/api/info" | grep -o '"apiVersion":"v2.1.1","reachable":true' | wc -l) -ge $partners ]] && break
  sleep 0.2
done

query='g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A&requestedGranularity=count'
first_partner=$(head -n 1 "$work/partners.txt")
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
network_p50=() network_p99=() network_cpu=() loaded_p50=() loaded_cpu=() loaded_rps=() direct_p50=() api_p50=() api_cpu=()
for ((run = 1; run <= runs; run++)); do
  line=$($bench measure "$base/network/api/$query" "$server" "$requests" 1)
  network_p50+=("$(field p50_ms <<<"$line")"); network_p99+=("$(field p99_ms <<<"$line")"); network_cpu+=("$(field cpu_ms_per_request <<<"$line")")
  line=$($bench measure "$base/network/api/$query" "$server" "$requests" "$concurrency")
  loaded_p50+=("$(field p50_ms <<<"$line")"); loaded_cpu+=("$(field cpu_ms_per_request <<<"$line")"); loaded_rps+=("$(field rps <<<"$line")")
  line=$($bench measure "$first_partner/$query" "$server" "$requests" 1)
  direct_p50+=("$(field p50_ms <<<"$line")")
  line=$($bench measure "$base/api/$query" "$server" "$requests" 1)
  api_p50+=("$(field p50_ms <<<"$line")"); api_cpu+=("$(field cpu_ms_per_request <<<"$line")")
done

m() { printf '%s\n' "$@" | median; }
p50=$(m "${network_p50[@]}")
printf 'fan-out: %.2f (GET /network/api/g_variants p50 %.1f ms / the partners'"'"' %d ms; p99 %.1f ms; %d partners; target <= 1.3)\n' \
  "$(echo "$p50 / $delay" | bc -l)" "$p50" "$delay" "$(m "${network_p99[@]}")" "$partners"
printf 'fan-out vs one partner asked directly: %.2f (%.1f ms / %.1f ms)\n' "$(echo "$p50 / $(m "${direct_p50[@]}")" | bc -l)" "$p50" "$(m "${direct_p50[@]}")"
printf 'node CPU per aggregated query: %.2f ms sequential, %.2f ms with %d at once (%.0f queries/s); per /api query %.2f ms (p50 %.1f ms)\n' \
  "$(m "${network_cpu[@]}")" "$(m "${loaded_cpu[@]}")" "$concurrency" "$(m "${loaded_rps[@]}")" "$(m "${api_cpu[@]}")" "$(m "${api_p50[@]}")"
printf '(median of %d runs of %d queries each)\n' "$runs" "$requests"
