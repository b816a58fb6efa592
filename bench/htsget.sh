#!/usr/bin/env bash
# htsget: ticket throughput and latency (wrk) against a bare endpoint of the same Kestrel, data-endpoint streaming
# throughput of a > 1 GiB BAM against nginx serving the same file on loopback, the node's memory while streaming, a
# 1.1 MB slice fetched by 8 connections (as htslib and igv.js fetch) against nginx, and Crypt4GH streaming of a slice
# (decrypted at rest, encrypted or re-wrapped for the client's key) against plain streaming of the same slice.
# All in one run; prints one line per figure and a summary block. See bench/README.md.
#
# Environment (all optional):
#   HTSGET_BENCH_WORK         work dir for the cached BAM and the node build (default bench/work/htsget)
#   HTSGET_BENCH_READS        reads in the generated BAM (default 7600000: about 1.2 GiB)
#   HTSGET_BENCH_DURATION     seconds per wrk measurement (default 10)
#   HTSGET_BENCH_CONNECTIONS  wrk connections (default 16), HTSGET_BENCH_THREADS wrk threads (default 2)
#   HTSGET_BENCH_RUNS         whole-file downloads from each of node and nginx (default 5, after one warm-up each;
#                             medians are compared)
#   HTSGET_BENCH_SLICE_CONNECTIONS  connections fetching the 1.1 MB slice (default 8)
#   HTSGET_BENCH_NO_BUILD=1   use the node already built in the work dir
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/bench/htsget
WORK=${HTSGET_BENCH_WORK:-$ROOT/bench/work/htsget}
READS=${HTSGET_BENCH_READS:-7600000}
SEED=20261123
DURATION=${HTSGET_BENCH_DURATION:-10}
CONNECTIONS=${HTSGET_BENCH_CONNECTIONS:-16}
THREADS=${HTSGET_BENCH_THREADS:-2}
RUNS=${HTSGET_BENCH_RUNS:-5}
OBJECT=big
GIB=1073741824

log() { printf '[htsget-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------------
source bench/lib.sh
bench_require bench/htsget.sh wrk nginx samtools curl python3 dotnet
/usr/bin/python3 -c 'import nacl' 2>/dev/null || die "python3-nacl is needed to encrypt the Crypt4GH copy (apt-get install python3-nacl)"
C4GH_TOOL=$ROOT/tests/Shared/crypt4gh_reference.py
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$WORK"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/htsget-bench.XXXXXX")
NODE_PID= NGINX_PID= SAMPLER_PID=
cleanup() {
  local status=$?
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null || true
  if [[ -n $NODE_PID ]] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$NODE_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ratio() { awk -v a="$1" -v b="$2" -v f="${3:-%.3g}" 'BEGIN { printf f, (b > 0 ? a / b : 0) }'; } # a b [printf format]
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; } # utime + stime of pid, in clock ticks
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; } # pid VmRSS|VmHWM -> kB
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
smb() { awk -v kb="$1" 'BEGIN { printf "%+.1f", kb / 1024 }'; }

# --- the big BAM (cached) ----------------------------------------------------------------------------------------
BAM=$WORK/big.bam
STAMP="reads=$READS seed=$SEED generator=$(sha256sum "$BENCH/gen-sam.py" | cut -c1-16) samtools=$(samtools --version | head -1)"
if [[ -s $BAM && -s $BAM.bai && $(cat "$WORK/big.stamp" 2>/dev/null) == "$STAMP" ]]; then
  log "using cached $BAM ($(stat -c %s "$BAM") bytes)"
else
  log "generating $BAM: $READS synthetic coordinate-sorted 150 bp reads (once; cached for reruns)"
  rm -f "$BAM" "$BAM.bai" "$WORK/big.stamp"
  start=$SECONDS
  python3 "$BENCH/gen-sam.py" "$READS" "$SEED" | samtools view -@ 2 -b -o "$WORK/big.tmp.bam" -
  samtools index -@ 2 "$WORK/big.tmp.bam" "$WORK/big.tmp.bam.bai"
  mv "$WORK/big.tmp.bam.bai" "$BAM.bai"
  mv "$WORK/big.tmp.bam" "$BAM"
  echo "$STAMP" >"$WORK/big.stamp"
  log "generated $(stat -c %s "$BAM") bytes in $((SECONDS - start)) s"
fi
BAM_BYTES=$(stat -c %s "$BAM")

# --- the node's Crypt4GH key and the BAM encrypted to it (cached with it) -------------------------------------------
C4GH_KEY=$WORK/c4gh/node.sec
C4GH_BAM=$WORK/big.bam.c4gh
C4GH_STAMP="$STAMP tool=$(sha256sum "$C4GH_TOOL" | cut -c1-16)"
if [[ ! -s $C4GH_BAM || ! -s $C4GH_KEY || $(cat "$WORK/big.c4gh.stamp" 2>/dev/null) != "$C4GH_STAMP" ]]; then
  log "encrypting $BAM to a benchmark node key with the reference Crypt4GH implementation (once; cached)"
  rm -rf "$WORK/c4gh" "$C4GH_BAM" "$WORK/big.c4gh.stamp"
  mkdir -p "$WORK/c4gh"
  /usr/bin/python3 "$C4GH_TOOL" keygen "$C4GH_KEY" "$WORK/c4gh/node.pub"
  chmod 600 "$C4GH_KEY"
  /usr/bin/python3 "$C4GH_TOOL" encrypt "$WORK/c4gh/node.pub" "$BAM" "$C4GH_BAM.tmp"
  mv "$C4GH_BAM.tmp" "$C4GH_BAM"
  echo "$C4GH_STAMP" >"$WORK/big.c4gh.stamp"
fi
/usr/bin/python3 "$C4GH_TOOL" keygen "$TMP/client.sec" "$TMP/client.pub"
CLIENT_KEY_HEADER="Client-Public-Key: $(base64 -w0 "$TMP/client.pub")"
((BAM_BYTES > GIB)) || log "warning: $BAM is not larger than 1 GiB ($BAM_BYTES bytes); raise HTSGET_BENCH_READS"

# --- build and start the node ------------------------------------------------------------------------------------
NODE_DIR=$WORK/node
if [[ ${HTSGET_BENCH_NO_BUILD:-} != 1 || ! -x $NODE_DIR/genome-node ]]; then
  log "building the node (Release) into $NODE_DIR"
  dotnet build "$ROOT/Node.Host/Node.Host.csproj" -c Release -nologo -v q -o "$NODE_DIR" >"$TMP/build.log" 2>&1 \
    || { cat "$TMP/build.log" >&2; die "build failed"; }
fi
NODE=$NODE_DIR/genome-node
DATA=$TMP/data
mkdir -p "$DATA"
"$NODE" dataset add --data "$DATA" --id bench --name "htsget benchmark" --tier public \
  --description "Synthetic reads generated by bench/htsget/gen-sam.py" >/dev/null
start=$SECONDS
"$NODE" register reads --data "$DATA" --dataset bench --id "$OBJECT" "$BAM" >/dev/null
REGISTER_SECONDS=$((SECONDS - start))
log "registered $OBJECT in $REGISTER_SECONDS s"
start=$SECONDS
Htsget__Crypt4ghKeyFile=$C4GH_KEY "$NODE" register reads --data "$DATA" --dataset bench --id "$OBJECT-c4gh" "$C4GH_BAM" >/dev/null
log "registered $OBJECT-c4gh (the same reads, Crypt4GH at rest) in $((SECONDS - start)) s"

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
# Warnings only: per-request Information logs to the console would measure the terminal, not the endpoints.
Htsget__Crypt4ghKeyFile=$C4GH_KEY "$NODE" serve --data "$DATA" --urls "$BASE" --Logging:LogLevel:Default=Warning >"$TMP/node.log" 2>&1 &
NODE_PID=$!
wait_http "$BASE/health" 60 || { cat "$TMP/node.log" >&2; die "the node did not answer on $BASE/health"; }
log "node pid $NODE_PID on $BASE"
IDLE_RSS=$(status_kb "$NODE_PID" VmRSS)


# --- sanity: tickets answer and a region streams the reads samtools finds locally ---------------------------------
CHECK_REGION="referenceName=chr2&start=100000000&end=100005000"
code=$(curl -s -o "$TMP/ticket.json" -w '%{http_code}' "$BASE/htsget/reads/$OBJECT?$CHECK_REGION")
[[ $code == 200 ]] || { cat "$TMP/ticket.json" >&2; die "ticket request answered $code"; }
# htsget may return reads around the region too (index granularity); every read samtools finds locally must be there.
samtools view "$BASE/htsget/reads/$OBJECT?$CHECK_REGION" | cut -f1 | sort >"$TMP/remote.names"
samtools view "$BAM" chr2:100000001-100005000 | cut -f1 | sort >"$TMP/local.names"
remote=$(wc -l <"$TMP/remote.names") local_count=$(wc -l <"$TMP/local.names")
((local_count > 0)) && [[ -z $(comm -23 "$TMP/local.names" "$TMP/remote.names") ]] \
  || die "samtools via htsget misses reads of chr2:100000001-100005000 ($remote streamed, $local_count locally)"
log "check: the $local_count reads samtools finds locally in chr2:100000001-100005000 are among the $remote streamed over htsget"

# --- 2. and 3. whole-file streaming vs nginx, with the node's memory sampled -------------------------------------
# Streaming runs first, so that the node's high-water mark before it is that of start-up and the check above only.
NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx"
{
  [[ $(id -u) == 0 ]] && echo "user $(id -un) $(id -gn);"
  cat <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK;
    location = /big.bam { }
    location = /ping { return 204; }
    location / { return 404; }
  }
}
EOF
} >"$TMP/nginx/nginx.conf"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NGINX_PORT/ping" 20 || { cat "$TMP/nginx/error.log" >&2; die "nginx did not start"; }
log "nginx pid $NGINX_PID on 127.0.0.1:$NGINX_PORT"

log "reading $BAM once into the page cache"
cat "$BAM" >/dev/null

# A whole-file ticket, then all its data URLs (file parts; header and EOF come inline as data: URIs) with one curl.
# Prints "bytes seconds urls"; fails on a status other than 200/206 or a body shorter than its Content-Length.
node_download() {
  curl -fsS -o "$TMP/whole.json" "$BASE/htsget/reads/$OBJECT"
  python3 - "$TMP/whole.json" >"$TMP/urls.txt" <<'EOF'
import json, sys
for url in json.load(open(sys.argv[1]))["htsget"]["urls"]:
    if url["url"].startswith("http"):
        print(url["url"])
EOF
  local args=()
  while read -r url; do args+=(-o /dev/null "$url"); done <"$TMP/urls.txt"
  curl -sS -w '%{http_code} %{size_download} %{time_total} %header{content-length}\n' "${args[@]}" >"$TMP/curl.txt"
  awk '($1 != 200 && $1 != 206) || $2 != $4 { bad = 1 } { bytes += $2; seconds += $3 } END { if (bad || NR == 0) exit 1; printf "%d %.6f %d\n", bytes, seconds, NR }' "$TMP/curl.txt" \
    || { cat "$TMP/curl.txt" >&2; return 1; }
}
nginx_download() {
  curl -sS -o /dev/null -w '%{http_code} %{size_download} %{time_total}\n' "http://127.0.0.1:$NGINX_PORT/big.bam" \
    | awk -v size="$BAM_BYTES" '$1 != 200 || $2 != size { exit 1 } { printf "%d %.6f 1\n", $2, $3 }'
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

BEFORE_RSS=$(status_kb "$NODE_PID" VmRSS)
BEFORE_HWM=$(status_kb "$NODE_PID" VmHWM)
# Sampler: the largest VmRSS of the node, read every 50 ms while it streams.
(
  max=0
  while [[ -r /proc/$NODE_PID/status ]]; do
    while read -r key value _; do
      [[ $key == VmRSS: ]] && ((value > max)) && { max=$value; echo "$max" >"$TMP/rss-max"; }
    done <"/proc/$NODE_PID/status"
    sleep 0.05
  done
) &
SAMPLER_PID=$!

: >"$TMP/node-mbps" && : >"$TMP/nginx-mbps"
STREAMED=0 NODE_TICKS=0
for run in $(seq 0 "$RUNS"); do # run 0 warms both up and is not counted
  ticks=$(cpu_ticks "$NODE_PID")
  read -r bytes seconds urls < <(node_download) || die "streaming from the node failed (run $run)"
  ticks=$(($(cpu_ticks "$NODE_PID") - ticks))
  node_mbps=$(mbps "$bytes" "$seconds")
  STREAMED=$((STREAMED + bytes)) NODE_BYTES=$bytes NODE_URLS=$urls
  hwm=$(status_kb "$NODE_PID" VmHWM)
  read -r nbytes nseconds _ < <(nginx_download) || die "downloading from nginx failed (run $run)"
  nginx_mbps=$(mbps "$nbytes" "$nseconds")
  if ((run == 0)); then
    FIRST_HWM=$hwm
    log "warm-up: node $node_mbps MB/s, nginx $nginx_mbps MB/s; node VmHWM $(mb "$hwm") MiB after one file"
    continue
  fi
  echo "$node_mbps" >>"$TMP/node-mbps"
  echo "$nginx_mbps" >>"$TMP/nginx-mbps"
  NODE_TICKS=$((NODE_TICKS + ticks))
  log "run $run: node $node_mbps MB/s ($bytes bytes in $urls data URLs, ${seconds} s, $ticks CPU ticks; VmHWM $(mb "$hwm") MiB), nginx $nginx_mbps MB/s ($nbytes bytes, ${nseconds} s)"
done
sleep 0.2
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
DURING_RSS=$(cat "$TMP/rss-max" 2>/dev/null || echo 0)
AFTER_RSS=$(status_kb "$NODE_PID" VmRSS)
AFTER_HWM=$(status_kb "$NODE_PID" VmHWM)

# --- 4. a 1.1 MB slice by 8 connections: node vs nginx; Crypt4GH vs plain streaming of the same slice -------------
SLICE_CONNECTIONS=${HTSGET_BENCH_SLICE_CONNECTIONS:-8}
SLICE_BYTES=1100000
SLICE_START=200000000
SLICE_RANGE="Range: bytes=$SLICE_START-$((SLICE_START + SLICE_BYTES - 1))"
# http data URLs of a ticket, one per line (data URLs are valid for minutes: asked right before each measurement)
ticket_urls() { # object query -> urls with their lengths ("url length")
  curl -fsS "$BASE/htsget/reads/$1${2:+?$2}" | python3 -c '
import base64, json, struct, sys
for part in json.load(sys.stdin)["htsget"]["urls"]:
    url = part["url"]
    if url.startswith("http"):
        payload = url.rsplit("/", 1)[1].split(".")[0]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        print(url, struct.unpack(">q", raw[18:26])[0])'
}
# slice_run NAME BYTES URL [HEADER...] -> SLICE_RPS SLICE_MBPS SLICE_CPU (ms of node CPU per request)
slice_run() {
  local name=$1 bytes=$2 url=$3 out=$TMP/wrk-slice-$1.txt ticks headers=()
  shift 3
  for header in "$@"; do headers+=(-H "$header"); done
  ticks=$(cpu_ticks "$NODE_PID")
  wrk -t"$THREADS" -c"$SLICE_CONNECTIONS" -d"$DURATION"s --latency "${headers[@]}" "$url" >"$out"
  ticks=$(($(cpu_ticks "$NODE_PID") - ticks))
  local non2xx
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$out")
  ((non2xx == 0)) || die "slice $name: $non2xx responses were not 2xx ($(tr '\n' ' ' <"$out"))"
  SLICE_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  SLICE_MBPS=$(awk -v r="$SLICE_RPS" -v b="$bytes" 'BEGIN { printf "%.1f", r * b / 1e6 }')
  SLICE_CPU=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '/ requests in / { n = $1 } END { printf "%.3g", n ? t * 1000 / hz / n : 0 }' "$out")
  log "slice $name: $SLICE_RPS req/s = $SLICE_MBPS MB/s of $bytes-byte slices, node CPU $SLICE_CPU ms/request, p50 $(awk -f "$BENCH/wrk-percentile.awk" -v p=50% "$out") ms"
}
log "slices: $SLICE_BYTES bytes from byte $SLICE_START by $SLICE_CONNECTIONS connections, ${DURATION} s each"
# The Range is within the data URL's own bytes: the first data URL long enough (the body's first, up to 1 GiB).
whole_url() { ticket_urls "$1" "" | awk -v need="$((SLICE_START + SLICE_BYTES))" '$2 >= need { print $1; exit }'; }
slice_run warmup-node "$SLICE_BYTES" "$(whole_url "$OBJECT")" "$SLICE_RANGE"
slice_run warmup-nginx "$SLICE_BYTES" "http://127.0.0.1:$NGINX_PORT/big.bam" "$SLICE_RANGE"
: >"$TMP/slice-node" && : >"$TMP/slice-nginx"
for run in 1 2 3; do # alternated, medians compared: a shared machine's noise hits both
  slice_run node "$SLICE_BYTES" "$(whole_url "$OBJECT")" "$SLICE_RANGE" && echo "$SLICE_MBPS" >>"$TMP/slice-node" && SLICE_NODE_CPU=$SLICE_CPU
  slice_run nginx "$SLICE_BYTES" "http://127.0.0.1:$NGINX_PORT/big.bam" "$SLICE_RANGE" && echo "$SLICE_MBPS" >>"$TMP/slice-nginx"
done
SLICE_NODE=$(median <"$TMP/slice-node") SLICE_NGINX=$(median <"$TMP/slice-nginx")
SLICE_RATIO=$(ratio "$SLICE_NODE" "$SLICE_NGINX" %.2f)
SLICE_VERDICT=$(awk -v r="$SLICE_RATIO" 'BEGIN { print (r >= 0.7 ? "meets" : "MISSES") }')
echo "htsget-slice-throughput: $SLICE_RATIO of nginx, target >= 0.7: $SLICE_VERDICT ($SLICE_BYTES-byte slices by $SLICE_CONNECTIONS connections; node median $SLICE_NODE MB/s [$(paste -sd' ' "$TMP/slice-node")], nginx median $SLICE_NGINX MB/s [$(paste -sd' ' "$TMP/slice-nginx")]; node CPU $SLICE_NODE_CPU ms/slice)"

# Crypt4GH: a region whose ticket has a data URL of about 1.1 MB, on the plain and the encrypted copy of the BAM.
WINDOW=25000
while :; do
  read -r REGION_URL REGION_BYTES < <(ticket_urls "$OBJECT" "referenceName=chr2&start=100000000&end=$((100000000 + WINDOW))" | sort -k2,2n | tail -1)
  ((REGION_BYTES >= SLICE_BYTES || WINDOW > 10000000)) && break
  WINDOW=$((WINDOW * 2))
done
REGION="referenceName=chr2&start=100000000&end=$((100000000 + WINDOW))"
region_url() { ticket_urls "$1" "$REGION" | sort -k2,2n | tail -1 | cut -d' ' -f1; }
log "Crypt4GH: the largest data URL of $REGION, $REGION_BYTES bytes of plaintext"
slice_run c4gh-warmup "$REGION_BYTES" "$(region_url "$OBJECT-c4gh")" "$CLIENT_KEY_HEADER"
slice_run plain "$REGION_BYTES" "$(region_url "$OBJECT")"
C4GH_PLAIN=$SLICE_MBPS C4GH_PLAIN_CPU=$SLICE_CPU
slice_run decrypted "$REGION_BYTES" "$(region_url "$OBJECT-c4gh")"
C4GH_DECRYPTED=$SLICE_MBPS C4GH_DECRYPTED_CPU=$SLICE_CPU
slice_run rewrapped "$REGION_BYTES" "$(region_url "$OBJECT-c4gh")" "$CLIENT_KEY_HEADER"
C4GH_REWRAPPED=$SLICE_MBPS C4GH_REWRAPPED_CPU=$SLICE_CPU
slice_run encrypted "$REGION_BYTES" "$(region_url "$OBJECT")" "$CLIENT_KEY_HEADER"
C4GH_ENCRYPTED=$SLICE_MBPS C4GH_ENCRYPTED_CPU=$SLICE_CPU
echo "htsget-c4gh-throughput: over plain streaming of the same $REGION_BYTES-byte slice ($C4GH_PLAIN MB/s, $C4GH_PLAIN_CPU ms CPU/slice): stored encrypted, served as its stored segments re-wrapped for the client's key $(ratio "$C4GH_REWRAPPED" "$C4GH_PLAIN" %.2f) ($C4GH_REWRAPPED MB/s, $C4GH_REWRAPPED_CPU ms); stored encrypted, served decrypted $(ratio "$C4GH_DECRYPTED" "$C4GH_PLAIN" %.2f) ($C4GH_DECRYPTED MB/s, $C4GH_DECRYPTED_CPU ms); stored plain, encrypted for the client's key $(ratio "$C4GH_ENCRYPTED" "$C4GH_PLAIN" %.2f) ($C4GH_ENCRYPTED MB/s, $C4GH_ENCRYPTED_CPU ms)"

kill "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=

NODE_MEDIAN=$(median <"$TMP/node-mbps")
NGINX_MEDIAN=$(median <"$TMP/nginx-mbps")
THROUGHPUT_RATIO=$(ratio "$NODE_MEDIAN" "$NGINX_MEDIAN" %.2f)
THROUGHPUT_VERDICT=$(awk -v r="$THROUGHPUT_RATIO" 'BEGIN { print (r >= 0.7 ? "meets" : "MISSES") }')
CPU_PER_GIB=$(awk -v t="$NODE_TICKS" -v hz="$(getconf CLK_TCK)" -v b="$((NODE_BYTES * RUNS))" 'BEGIN { printf "%.2f", t / hz / (b / 1073741824) }')
echo "htsget-data-throughput: $THROUGHPUT_RATIO of nginx, target >= 0.7: $THROUGHPUT_VERDICT (node median $NODE_MEDIAN MB/s [$(paste -sd' ' "$TMP/node-mbps")], nginx median $NGINX_MEDIAN MB/s [$(paste -sd' ' "$TMP/nginx-mbps")]; $NODE_BYTES of $BAM_BYTES file bytes per whole-file ticket in $NODE_URLS data URLs; node CPU $CPU_PER_GIB s per GiB)"

# Flat: while streaming the file RUNS + 1 times, resident memory rises by less than 64 MiB and less than 5% of one file.
GROWTH_KB=$(( (DURING_RSS > AFTER_RSS ? DURING_RSS : AFTER_RSS) - BEFORE_RSS ))
HWM_GROWTH_KB=$((AFTER_HWM - BEFORE_HWM))
MEMORY_VERDICT=$(awk -v g="$GROWTH_KB" -v f="$BAM_BYTES" 'BEGIN { print (g * 1024 < 64 * 1048576 && g * 1024 < 0.05 * f ? "flat" : "GROWING") }')
STREAMED_GIB=$(awk -v b="$STREAMED" 'BEGIN { printf "%.2f", b / 1073741824 }')
echo "htsget-data-memory: $MEMORY_VERDICT, RSS $(smb "$GROWTH_KB") MiB while streaming $STREAMED_GIB GiB (before: RSS $(mb "$BEFORE_RSS") MiB, VmHWM $(mb "$BEFORE_HWM") MiB; during: max sampled RSS $(mb "$DURING_RSS") MiB, VmHWM after the first file $(mb "$FIRST_HWM") MiB; after: RSS $(mb "$AFTER_RSS") MiB, VmHWM $(mb "$AFTER_HWM") MiB)"

# --- 1. tickets per second and latency, against a bare endpoint of the same Kestrel ------------------------------
# wrk_run NAME PATH(empty: rotating ticket regions) SECONDS CONNECTIONS THREADS -> RPS P50 P99 (ms) NON2XX SOCKET
wrk_run() {
  local out=$TMP/wrk-$1.txt ticks
  ticks=$(cpu_ticks "$NODE_PID")
  HTSGET_BENCH_PATH=$2 HTSGET_BENCH_ID=$OBJECT wrk -t"$5" -c"$4" -d"$3"s --latency -s "$BENCH/tickets.lua" "$BASE" >"$out"
  ticks=$(($(cpu_ticks "$NODE_PID") - ticks))
  RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  # node CPU per request: less sensitive than req/s to other work on a shared machine
  CPU_MS=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '/ requests in / { n = $1 } END { printf "%.3g", n ? t * 1000 / hz / n : 0 }' "$out")
  P50=$(awk -f "$BENCH/wrk-percentile.awk" -v p=50% "$out")
  P99=$(awk -f "$BENCH/wrk-percentile.awk" -v p=99% "$out")
  NON2XX=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$out")
  SOCKET=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")
  log "$1: $RPS req/s, p50 $P50 ms, p99 $P99 ms, node CPU $CPU_MS ms/request, non-2xx $NON2XX, socket errors/timeouts $SOCKET"
  ((NON2XX == 0)) || die "$1: $NON2XX responses were not 2xx (see wrk's output: $(tr '\n' ' ' <"$out"))"
}
PEER=/htsget/reads/service-info
log "tickets: warming up, then ${DURATION} s each with $THREADS threads and $CONNECTIONS connections, and 1 connection"
wrk_run warmup-ticket "" 3 "$CONNECTIONS" "$THREADS"
wrk_run warmup-peer "$PEER" 3 "$CONNECTIONS" "$THREADS"
wrk_run peer "$PEER" "$DURATION" "$CONNECTIONS" "$THREADS"
PEER_RPS=$RPS PEER_P50=$P50 PEER_P99=$P99 PEER_CPU=$CPU_MS
wrk_run ticket "" "$DURATION" "$CONNECTIONS" "$THREADS"
TICKET_RPS=$RPS TICKET_P50=$P50 TICKET_P99=$P99 TICKET_SOCKET=$SOCKET TICKET_CPU=$CPU_MS
wrk_run health /health "$DURATION" "$CONNECTIONS" "$THREADS"
HEALTH_RPS=$RPS HEALTH_P50=$P50 HEALTH_P99=$P99 HEALTH_CPU=$CPU_MS
SERIAL=$(( (DURATION + 1) / 2 ))
wrk_run peer-serial "$PEER" "$SERIAL" 1 1
PEER1_RPS=$RPS PEER1_P50=$P50 PEER1_P99=$P99
wrk_run ticket-serial "" "$SERIAL" 1 1
TICKET1_RPS=$RPS TICKET1_P50=$P50 TICKET1_P99=$P99
TICKET_RATIO=$(ratio "$TICKET_RPS" "$PEER_RPS")
TICKET1_RATIO=$(ratio "$TICKET1_RPS" "$PEER1_RPS")
echo "htsget-ticket-rps: $TICKET_RATIO of service-info at $CONNECTIONS connections (ticket $TICKET_RPS req/s, p50 $TICKET_P50 ms, p99 $TICKET_P99 ms, $TICKET_SOCKET timeouts, node CPU $TICKET_CPU ms/request; $PEER $PEER_RPS req/s, p50 $PEER_P50 ms, p99 $PEER_P99 ms, $PEER_CPU ms/request; /health $HEALTH_RPS req/s, p50 $HEALTH_P50 ms, p99 $HEALTH_P99 ms, $HEALTH_CPU ms/request)"
echo "htsget-ticket-rps-serial: $TICKET1_RATIO of service-info at 1 connection (ticket $TICKET1_RPS req/s, p50 $TICKET1_P50 ms, p99 $TICKET1_P99 ms; $PEER $PEER1_RPS req/s, p50 $PEER1_P50 ms, p99 $PEER1_P99 ms)"

cp "$TMP/node.log" "$WORK/last-node.log"
PROBLEMS=$(grep -ciE 'fail|exception|error' "$TMP/node.log" || true)

cat <<EOF

== htsget benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) ==
BAM                          $BAM_BYTES bytes ($(awk -v b="$BAM_BYTES" 'BEGIN { printf "%.2f", b / 1073741824 }') GiB, $READS reads), registered in $REGISTER_SECONDS s
tickets, 1 kb windows        $TICKET_RPS req/s  p50 $TICKET_P50 ms  p99 $TICKET_P99 ms  node CPU $TICKET_CPU ms/req  (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; $TICKET_SOCKET timeouts)
peer $PEER  $PEER_RPS req/s  p50 $PEER_P50 ms  p99 $PEER_P99 ms  node CPU $PEER_CPU ms/req
peer /health (DuckDB)        $HEALTH_RPS req/s  p50 $HEALTH_P50 ms  p99 $HEALTH_P99 ms  node CPU $HEALTH_CPU ms/req
ticket / service-info        $TICKET_RATIO
tickets, 1 connection        $TICKET1_RPS req/s  p50 $TICKET1_P50 ms  p99 $TICKET1_P99 ms  (service-info $PEER1_RPS req/s, p50 $PEER1_P50 ms; ratio $TICKET1_RATIO)
data endpoint                $NODE_MEDIAN MB/s  (median of $RUNS whole-file tickets, $NODE_URLS data URLs each; node CPU $CPU_PER_GIB s/GiB)
nginx, same file             $NGINX_MEDIAN MB/s  (median of $RUNS)
data endpoint / nginx        $THROUGHPUT_RATIO  target >= 0.7: $THROUGHPUT_VERDICT
1.1 MB slice, $SLICE_CONNECTIONS connections    node $SLICE_NODE MB/s, nginx $SLICE_NGINX MB/s: $SLICE_RATIO  target >= 0.7: $SLICE_VERDICT
Crypt4GH slice / plain       re-wrapped $(ratio "$C4GH_REWRAPPED" "$C4GH_PLAIN" %.2f), decrypted $(ratio "$C4GH_DECRYPTED" "$C4GH_PLAIN" %.2f), encrypted $(ratio "$C4GH_ENCRYPTED" "$C4GH_PLAIN" %.2f)  (plain $C4GH_PLAIN MB/s of $REGION_BYTES-byte slices)
node RSS before streaming    $(mb "$BEFORE_RSS") MiB  (VmHWM $(mb "$BEFORE_HWM") MiB; $(mb "$IDLE_RSS") MiB idle after start)
node RSS while streaming     $(mb "$DURING_RSS") MiB max sampled every 50 ms over $STREAMED_GIB GiB  (VmHWM $(mb "$FIRST_HWM") MiB after the first file)
node RSS after streaming     $(mb "$AFTER_RSS") MiB  (VmHWM $(mb "$AFTER_HWM") MiB, $(smb "$HWM_GROWTH_KB") MiB)  target flat: $MEMORY_VERDICT
node log                     $PROBLEMS lines mentioning fail/exception/error ($WORK/last-node.log)
EOF
