#!/usr/bin/env bash
# Follows docs/operations.md step by step: runs every ```sh block of the guide, in order, in one shell (set -euo
# pipefail), and fails at the first command that fails. The commands are the guide's own, extracted from it; only the
# walk-through's settings (its first block reads them from the environment) point into a fresh temporary directory.
#
#   tests/operations/setup-from-nothing.sh [REPOSITORY]
#
# REPOSITORY (default: this checkout) is cloned as the guide's install step says, so what is tested is what is
# committed there. Needs: git, the .NET SDK, curl, jq, samtools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
guide="$root/docs/operations.md"
work=$(mktemp -d "${TMPDIR:-/tmp}/genome-node-operations.XXXXXX")

cleanup() {
  local status=$?
  # The walk-through's node, if a failed step left it running (the guide's last step stops it otherwise).
  if [[ -f "$work/node.pid" ]] && kill -0 "$(cat "$work/node.pid")" 2>/dev/null; then
    kill -TERM "$(cat "$work/node.pid")" 2>/dev/null || true
  fi
  if ((status != 0)) && [[ -f "$work/logs/node.log" ]]; then
    echo "--- the node's log (last 40 lines)" >&2
    tail -n 40 "$work/logs/node.log" >&2
  fi
  if [[ -z "${KEEP_WORK:-}" ]]; then
    rm -rf "$work"
  else
    echo "kept $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT

# A free port on loopback for the node.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

export GENOME_NODE_REPOSITORY=${1:-$root}
export PREFIX="$work/opt/genome-node" GENOMENODE_DATA="$work/var/lib/genome-node" CONFIG="$work/etc/genome-node" \
  FILES="$work/srv/files" BACKUPS="$work/var/backups/genome-node" LOGS="$work/logs" SRC="$work/src" \
  NODE_URL="http://127.0.0.1:$port"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The guide's sh blocks, each announced, and the node's pid kept for the cleanup above.
awk '
  /^```sh[[:space:]]*$/ { inside = 1; block++; printf "echo \"### docs/operations.md, sh block %d (line %d)\"\n", block, NR; next }
  /^```/ && inside { inside = 0; next }
  inside { print; if ($0 ~ /^NODE_PID=\$!$/) print "echo \"$NODE_PID\" > \"$WORK/node.pid\"" }
' "$guide" > "$work/guide.sh"
blocks=$(grep -c '^### \|^echo "### ' "$work/guide.sh")
if ((blocks == 0)); then
  echo "docs/operations.md has no sh block" >&2
  exit 1
fi

WORK="$work" bash -euo pipefail "$work/guide.sh"
echo "docs/operations.md: all $blocks sh blocks ran"
