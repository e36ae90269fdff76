#!/usr/bin/env bash
# Runs every Fuzz* target in the workspace for a bounded time each (go test -fuzz
# takes one target at a time).
#
# A run that ends with "context deadline exceeded" and no failing input is the Go
# fuzzer stopping mid-minimisation at -fuzztime on a loaded machine (a known flake
# of the fuzzing engine, not of the code under test): it is run once more. A real
# failure writes its input under testdata/fuzz and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
fuzz() { (cd "$1" && go test -run '^$' -fuzz "^${2}\$" -fuzztime "$time" . >"$log" 2>&1); }
while IFS= read -r file; do
  dir=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    echo "fuzz $dir $target ($time)"
    if fuzz "$dir" "$target"; then continue; fi
    if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
      echo "fuzz $dir $target: the engine stopped at its deadline without a failing input; once more"
      fuzz "$dir" "$target" && continue
    fi
    cat "$log"; status=1
  done
done < <(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' || true)
exit $status
