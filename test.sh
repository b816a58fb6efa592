#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line: "N passed, N failed[, N skipped]".
# The tests use real tools as oracles and clients; as root with apt-get this installs them, otherwise it names them.
set -euo pipefail
cd "$(dirname "$0")"

packages=(samtools bcftools tabix htslib-test samtools-test python-pysam-tests chromium python3-nacl curl jq git nodejs nginx-light)
missing=()
# The FAIR Data Point tests harvest and SHACL-validate with npm packages on Debian's node (tests/Node.Host.Tests/shacl).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests use: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them (sudo apt-get install ${missing[*]}) or run this script as root, then run it again." >&2
    exit 1
  fi
fi

# The SHACL validator and its parsers, exactly as package-lock.json pins them.
(cd tests/Node.Host.Tests/shacl && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# --blame: if a test host crashes, VSTest names the test that was running.
dotnet test GenomeNode.slnx --blame "$@" 2>&1 | tee "$log" || status=$?

# VSTest prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
    line = $0
    gsub(/[^0-9,]+/, " ", line)
    split(line, n, ",")
    f += n[1]; p += n[2]; s += n[3]; projects++
  }
  END { printf "%d %d %d %d\n", p, f, s, projects }' "$log")

expected=$(find tests -name '*.Tests.csproj' | wc -l)
if ((projects != expected)); then
  echo "only $projects of $expected test projects reported results" >&2
  [[ $status -ne 0 ]] || status=1
fi
# A crashed test host still prints a summary of the tests it finished; its run is a failure all the same.
aborted=$(grep -c '^Test Run Aborted' "$log" || true)
if ((aborted)); then
  echo "$aborted test run(s) aborted: a test host crashed (see above)" >&2
  [[ $status -ne 0 ]] || status=1
fi
if ((skipped)); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
