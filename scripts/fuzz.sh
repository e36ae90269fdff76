#!/usr/bin/env bash
# Runs every Fuzz* target in the workspace for a bounded time each.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
status=0
while IFS= read -r file; do
  dir=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    echo "fuzz $dir $target ($time)"
    if ! (cd "$dir" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" . >/tmp/sesame-fuzz.log 2>&1); then
      cat /tmp/sesame-fuzz.log; status=1
    fi
  done
done < <(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' || true)
exit $status
