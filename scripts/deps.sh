#!/usr/bin/env bash
# The system packages sesame's tests need: ONE list, used by `make test` (and so
# by .ci/run). What is present is kept. When something is missing and this runs
# as root on Debian, it is installed with apt-get; otherwise the script stops,
# before any test runs, with one message naming every missing package and the
# command that installs them.
set -euo pipefail

# Debian package : a command it provides.
deps=(
  chromium:chromium          # browser tests (e2e, doctor --browser)
  nginx:nginx                # e2e: the TLS proxy in front of the demo
  openssl:openssl            # e2e: certificates for nginx
  redis-server:redis-server  # stores/redisstore, compat/express, e2e
  redis-tools:redis-cli      # scripts/services.sh, the Redis test helpers
  postgresql:psql            # stores/pgstore
  postgresql:pg_ctlcluster   # scripts/services.sh starts the cluster
  nodejs:node                # the Express apps the Go tests run against
  npm:npm                    # their lock files (npm ci)
  git:git                    # scripts/fuzz.sh lists the tracked tests
)

check() {
  missing=()
  for d in "${deps[@]}"; do
    pkg=${d%%:*} cmd=${d#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && [[ " ${missing[*]-} " != *" $pkg "* ]]; then
      missing+=("$pkg")
    fi
  done
}
check
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
# SESAME_NO_INSTALL=1 reports instead of installing, even as root.
if [ -z "${SESAME_NO_INSTALL-}" ] && [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  check
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "deps: ${missing[*]} installed, but their commands are not on PATH ($PATH)" >&2
  exit 1
fi
echo "deps: missing ${missing[*]}; install them with: $install (as root on Debian), then run make test again" >&2
exit 1
