# Shared by the bench/*.sh scripts (sourced): tool installation, ports, waiting for HTTP, medians.

# bench_require SCRIPT TOOL...: as root with apt-get the missing tools are installed (bgzip comes with tabix);
# otherwise they are named and the script stops. The .NET SDK is never installed here (see README.md).
bench_require() {
  local script=$1 tool missing=() packages=()
  shift
  for tool in "$@"; do
    # type -P looks for a program only (not a shell keyword such as `time`).
    type -P "$tool" >/dev/null 2>&1 || [[ $tool == nginx && -x /usr/sbin/nginx ]] || missing+=("$tool")
  done
  ((${#missing[@]})) || return 0
  for tool in "${missing[@]}"; do
    case $tool in
      dotnet) echo "$script: the .NET 10 SDK is missing (see README.md)" >&2; exit 1;;
      bgzip) packages+=(tabix);;
      *) packages+=("$tool");;
    esac
  done
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "$script: installing ${packages[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "$script needs: ${missing[*]} (apt-get install ${packages[*]}, or run as root)" >&2
    exit 1
  fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

wait_beacon_index() { # base-url seconds: until /health says the Beacon's in-memory index is built (queries meet DuckDB before)
  local deadline=$((SECONDS + $2))
  until curl -fsS "$1/health" 2>/dev/null | grep -q '"name":"beacon-index","status":"Healthy","description":"in memory"'; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
