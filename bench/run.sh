#!/usr/bin/env bash
# `make bench`: sesame side by side with scs, gorilla/sessions, rs/cors,
# jub0bs/cors, net/http CrossOriginProtection and Express, on this machine, in
# one run, then every sesame store filled with up to a million sessions (scale).
# Writes bench/results.md. BENCH_QUICK=1 for a ~5-minute run; extra arguments go
# to the driver (go run ./cmd/driver -h lists them).
#
# Needs wrk, taskset (util-linux), redis-server, node and npm, and 2 CPUs;
# valgrind for the instruction counts and a PostgreSQL server (trust auth on
# loopback, or SESAME_POSTGRES_URL) for sesame-pg: each is skipped, and said
# so, without it.
# Starts its own redis-server and servers on loopback and stops them by PID.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for c in go wrk taskset redis-server node npm; do
  command -v "$c" >/dev/null || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: not found: ${missing[*]} (Debian: apt-get install wrk util-linux redis-server nodejs npm)" >&2
  exit 1
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "bench: needs 2 CPUs (server and load generator on different cores); this machine has $(nproc)" >&2
  exit 1
fi

# The Express contestant, from its committed lock file.
if [ ! -f express/node_modules/.package-lock.json ] || [ express/package-lock.json -nt express/node_modules/.package-lock.json ]; then
  echo "bench: npm ci --prefix bench/express"
  npm ci --prefix express --no-audit --no-fund >/dev/null
fi

mkdir -p out
go build -o out/server ./cmd/server
go build -o out/driver ./cmd/driver
exec out/driver -dir . -server out/server "$@"
