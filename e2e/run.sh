#!/usr/bin/env bash
# `make e2e`: build the demo, then drive it with Debian's Chromium through
# playwright-core (never a downloaded browser). Every test starts what it needs
# (demo instances, nginx, redis-server) on free loopback ports and stops it by PID.
# Artifacts (logs, screenshots, failure screenshots) land in e2e/out/.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for cmd in chromium nginx openssl redis-server node npm go; do
  command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: missing ${missing[*]}; on Debian: apt-get install chromium nginx openssl redis-server nodejs npm" >&2
  exit 1
fi

# npm ci when node_modules is absent or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

rm -rf out
mkdir -p out
(cd .. && go build -o e2e/out/sesame ./cmd/sesame)

# One test file at a time: the machine is small and each file starts its own servers.
node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec tests/
