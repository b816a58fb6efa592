#!/usr/bin/env bash
# Passport clearinghouse (issue 7, acceptance 4), against peers measured in the same run:
#   validations   passports validated per second through PassportAuthenticator (in process, bench/PassportBench):
#                 cold (every passport distinct: a validation-cache miss; JWKS cached) on 1 and 2 threads, over the
#                 same five signature checks done bare; warm (the same token again: a cache hit) on 1 and 2 threads
#   g_variants    wrk latency (p50, p99) and throughput of count-granularity sequence queries on a CONTROLLED dataset
#                 with a cached, valid passport that grants it / the same queries anonymous (answered boolean), on the
#                 same node, alternating; target passport/anonymous p50 <= 1.2. Also node CPU per request, and a third
#                 side: anonymous with a dummy header as long as the passport's (the header transfer alone)
# Each figure is the median of RUNS runs (default 3). Needs bcftools, bgzip, python3, wrk, bc, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${PASSPORT_BENCH_WORK:-$repo/bench/work/passport}
runs=${RUNS:-3}
duration=${WRK_DURATION:-10s}
connections=${WRK_CONNECTIONS:-8}
threads=${WRK_THREADS:-2}
tokens=${PASSPORT_BENCH_TOKENS:-4000}
variants=${PASSPORT_BENCH_VARIANTS:-20000}
samples=${PASSPORT_BENCH_SAMPLES:-10}
urn=urn:genome-node:bench:dac:controlled-1
mkdir -p "$work"
log() { echo "passport-bench: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

source bench/lib.sh
bench_require bench/passport.sh bcftools bgzip python3 wrk bc curl

server= jwks_server=
cleanup() {
  local status=$?
  [[ -n $jwks_server ]] && kill "$jwks_server" 2>/dev/null || true
  if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load() { cut -d' ' -f1-3 /proc/loadavg; }

log "start $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average $(load)"
echo "machine: $(nproc) cores; start $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(load)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ ${PASSPORT_BENCH_NO_BUILD:-} != 1 || ! -x $work/bin/genome-node || ! -x $work/tool/PassportBench ]]; then
  log "building Node.Host and bench/PassportBench (Release)"
  dotnet build Node.Host -c Release -nologo -v q -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
  dotnet build bench/PassportBench -c Release -nologo -v q -o "$work/tool" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
fi
node=$work/bin/genome-node
tool=$work/tool/PassportBench

# --- keys, JWKS and the passport; the JWKS served over http on loopback --------------------------------------------
keys=$work/keys
rm -rf "$keys"
jwks_port=$(free_port)
jwks=http://127.0.0.1:$jwks_port
"$tool" mint "$keys" "$jwks" "$urn"
# The interpreter itself, not a version-manager shim, so that the pid killed on exit is the server's.
"$(python3 -c 'import sys; print(sys.executable)')" -m http.server "$jwks_port" --bind 127.0.0.1 --directory "$keys/www" >"$work/jwks-server.log" 2>&1 &
jwks_server=$!
wait_http "$jwks/broker/jwks.json" 30 || die "the JWKS server did not answer on $jwks"
passport=$(cat "$keys/passport.jwt")

# --- validations per second, in process ----------------------------------------------------------------------------
log "in-process validations: $tokens distinct passports, $runs runs"
"$tool" validate "$keys" "$jwks" "$urn" --tokens "$tokens" --runs "$runs"

# --- a node with a CONTROLLED dataset --------------------------------------------------------------------------------
vcf=$work/synthetic-$variants-$samples.vcf.gz
if [[ ! -s $vcf ]]; then
  log "generating $vcf"
  python3 bench/synthetic-vcf.py "$variants" "$samples" --seed 20261123 | bgzip -@2 > "$vcf.tmp"
  mv "$vcf.tmp" "$vcf"
fi
data=$work/data
rm -rf "$data"
"$node" dataset add --data "$data" --id bench --name "bench (synthetic, controlled)" --tier controlled --visa-value "$urn" >/dev/null
"$node" ingest vcf --data "$data" --dataset bench "$vcf" >/dev/null

port=$(free_port)
base=http://127.0.0.1:$port
Passport__TrustedBrokers__0__Issuer=$jwks/broker \
Passport__TrustedBrokers__0__JwksUri=$jwks/broker/jwks.json \
Passport__TrustedVisaIssuers__0__Issuer=$jwks/dac \
Passport__TrustedVisaIssuers__0__Jku=$jwks/dac/jwks.json \
Passport__TrustedVisaIssuers__0__SubjectsOfBroker=$jwks/broker \
Passport__AllowLoopbackHttp=true \
  "$node" serve --data "$data" --urls "$base" \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning >"$work/serve.log" 2>&1 &
server=$!
wait_http "$base/health" 60 || { cat "$work/serve.log" >&2; die "the node did not answer on $base/health"; }

# Random stored biallelic variants, as bench/beacon.sh picks them; the same seed for both sides.
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$vcf" | awk -F'\t' '$4 !~ /,/' > "$work/positions.tsv"
cat > "$work/g_variants.lua" <<LUA
local paths = {}
for line in io.lines("$work/positions.tsv") do
  local chrom, pos, ref, alt = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
  paths[#paths + 1] = "/api/g_variants?referenceName=" .. chrom .. "&start=" .. (tonumber(pos) - 1) ..
    "&referenceBases=" .. ref .. "&alternateBases=" .. alt .. "&requestedGranularity=count"
end
-- 4096 requests at random stored variants, formatted once per thread with wrk.headers (-H on the command line: the
-- Authorization header on the passport side; Host is set by the time init runs), so that wrk does not rebuild a 4 KB
-- header per request on the cores the node needs.
local requests = {}
function init(args)
  math.randomseed(42)
  for i = 1, 4096 do requests[i] = wrk.format("GET", paths[math.random(#paths)]) end
end
request = function() return requests[math.random(#requests)] end
LUA

# The comparison only means something if the passport really unlocks counts and anonymous callers get booleans.
IFS=$'\t' read -r chrom pos ref alt < <(head -1 "$work/positions.tsv")
sample="$base/api/g_variants?referenceName=$chrom&start=$((pos - 1))&referenceBases=$ref&alternateBases=$alt&requestedGranularity=count"
curl -fsS "$sample" >"$work/anonymous.json" || die "the anonymous query failed"
curl -fsS -H "Authorization: Bearer $passport" "$sample" >"$work/passport.json" || die "the passport query failed: $(curl -s -H "Authorization: Bearer $passport" "$sample")"
python3 - "$work/anonymous.json" "$work/passport.json" <<'PY' || die "the passport does not change the answer as it should (see $work/*.json)"
import json, sys
anonymous, passport = (json.load(open(f)) for f in sys.argv[1:3])
def shape(r):
    return r["meta"]["returnedGranularity"], r["responseSummary"]["exists"], r["responseSummary"].get("numTotalResults")
a, p = shape(anonymous), shape(passport)
print(f"check: anonymous -> returnedGranularity {a[0]}, exists {a[1]}, numTotalResults {a[2]}; "
      f"passport -> returnedGranularity {p[0]}, exists {p[1]}, numTotalResults {p[2]}", file=sys.stderr)
assert a[0] == "boolean" and a[1] is True and a[2] is None, "anonymous: expected a boolean answer"
assert p[0] == "count" and p[1] is True and isinstance(p[2], int) and p[2] > 0, "passport: expected a count"
PY

# wrk's output plus one line "node-cpu-us-per-request: N": the node's CPU time (user + system) over the requests made,
# a figure that a busy shared machine disturbs less than latency does.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$server/stat"; }
wrk_run() {
  local before out
  before=$(cpu_ticks)
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/g_variants.lua" "$@" "$base" 2>&1)
  echo "$out"
  awk -v ticks="$(($(cpu_ticks) - before))" -v hz="$(getconf CLK_TCK)" \
    '/requests in/ {printf "node-cpu-us-per-request: %.1f\n", ticks * 1e6 / hz / $1}' <<<"$out"
}
cpu() { awk '/^node-cpu-us-per-request:/ {print $2}'; }
rps() { awk '/^Requests\/sec:/ {print $2}'; }
pct() { awk -v p="$1" '/Latency Distribution/ {s = 1; next} s && $1 == p {v = $2; n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; print n; exit}'; }
checked() { # wrk output -> itself, or fail when a request was not answered 2xx
  if grep -qE 'Non-2xx|Socket errors' <<<"$1"; then echo "$1" >&2; die "wrk saw errors or non-2xx answers"; fi
  echo "$1"
}

# Three sides: anonymous; anonymous with a dummy header as long as the passport's Authorization header (what carrying
# a passport costs Kestrel and the loopback before the clearinghouse sees it); and the passport.
padding=$(head -c $((${#passport} + 7)) /dev/zero | tr '\0' x)
declare -A header=([anonymous]="" [padded]="X-Padding: $padding" [passport]="Authorization: Bearer $passport")
sides=(anonymous padded passport)
log "g_variants: wrk -t$threads -c$connections -d$duration, ${sides[*]} in rotating order, $runs runs"
wrk -t1 -c2 -d2s -s "$work/g_variants.lua" "$base" >/dev/null 2>&1 # warm-up (JIT, index); the passport is validated once
wrk -t1 -c2 -d2s -s "$work/g_variants.lua" -H "${header[passport]}" "$base" >/dev/null 2>&1
declare -A rps_of p50_of p99_of cpu_of
for ((run = 1; run <= runs; run++)); do
  # The side measured first rotates, so a drift in machine load does not favour one side.
  line="run $run:"
  for ((k = 0; k < ${#sides[@]}; k++)); do
    side=${sides[$(((k + run - 1) % ${#sides[@]}))]}
    if [[ -n ${header[$side]} ]]; then out=$(checked "$(wrk_run -H "${header[$side]}")"); else out=$(checked "$(wrk_run)"); fi
    rps_of[$side]+="$(rps <<<"$out") "; p50_of[$side]+="$(pct 50% <<<"$out") "
    p99_of[$side]+="$(pct 99% <<<"$out") "; cpu_of[$side]+="$(cpu <<<"$out") "
    line+=" $side $(rps <<<"$out") req/s p50 $(pct 50% <<<"$out") ms p99 $(pct 99% <<<"$out") ms cpu $(cpu <<<"$out") us/req;"
  done
  log "$line load $(load)"
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; } # "v1 v2 ..." -> median
ratio() { echo "$1 / $2" | bc -l; }
declare -A R M N C
for side in "${sides[@]}"; do
  R[$side]=$(med "${rps_of[$side]}"); M[$side]=$(med "${p50_of[$side]}"); N[$side]=$(med "${p99_of[$side]}"); C[$side]=$(med "${cpu_of[$side]}")
done
printf 'g_variants-anonymous: %.0f req/s, p50 %.3f ms, p99 %.3f ms, node CPU %.1f us/request (count requested, boolean returned; wrk -t%d -c%d -d%s; median of %d)\n' \
  "${R[anonymous]}" "${M[anonymous]}" "${N[anonymous]}" "${C[anonymous]}" "$threads" "$connections" "$duration" "$runs"
printf 'g_variants-anonymous-padded: %.0f req/s, p50 %.3f ms, p99 %.3f ms, node CPU %.1f us/request (boolean returned; a %d-byte X-Padding header)\n' \
  "${R[padded]}" "${M[padded]}" "${N[padded]}" "${C[padded]}" "${#padding}"
printf 'g_variants-passport: %.0f req/s, p50 %.3f ms, p99 %.3f ms, node CPU %.1f us/request (count returned; %d-byte cached passport of 4 visas in Authorization)\n' \
  "${R[passport]}" "${M[passport]}" "${N[passport]}" "${C[passport]}" "${#passport}"
printf 'passport/anonymous latency p50 = %.2f (target <= 1.2)\n' "$(ratio "${M[passport]}" "${M[anonymous]}")"
printf 'passport/anonymous latency p99 = %.2f\n' "$(ratio "${N[passport]}" "${N[anonymous]}")"
printf 'passport/anonymous throughput = %.2f\n' "$(ratio "${R[passport]}" "${R[anonymous]}")"
printf 'passport/anonymous node CPU per request = %.2f\n' "$(ratio "${C[passport]}" "${C[anonymous]}")"
printf 'passport/padded-anonymous latency p50 = %.2f, node CPU per request = %.2f (the clearinghouse without the header transfer)\n' \
  "$(ratio "${M[passport]}" "${M[padded]}")" "$(ratio "${C[passport]}" "${C[padded]}")"
echo "machine: end $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(load)"
