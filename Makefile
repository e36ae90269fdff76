# sesame's build. `make test` is the one command that proves the tree: vet,
# staticcheck, the race-enabled test suite of every module (against the real Redis
# and PostgreSQL), bounded fuzzing of every parser, and the browser tests.

GO          ?= go
GOBIN       := $(shell $(GO) env GOPATH)/bin
STATICCHECK ?= $(GOBIN)/staticcheck
# Every module of the workspace (go.work). Patterns are run per module so a
# module's own go.mod decides its dependencies.
MODULES     := . ./cmd/sesame ./stores/redisstore ./stores/pgstore ./stores/boltstore ./bench
FUZZTIME    ?= 10s

# Node apps the Go tests run against (real Express servers); installed from their
# committed lock files.
NODE_APPS   := doctor/testdata/express compat/express/testdata/app bench/express

.PHONY: test vet staticcheck unit fuzz e2e services node-deps bench demo tidy

test: vet staticcheck services node-deps unit fuzz e2e

node-deps:
	@for d in $(NODE_APPS); do \
	  if [ -f $$d/package-lock.json ] && { [ ! -f $$d/node_modules/.package-lock.json ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; }; then \
	    echo "npm ci --prefix $$d"; npm ci --prefix $$d --no-audit --no-fund >/dev/null || exit 1; \
	  fi; \
	done

vet:
	@for m in $(MODULES); do echo "go vet $$m/..."; (cd $$m && $(GO) vet ./...) || exit 1; done

staticcheck:
	@test -x $(STATICCHECK) || { echo "staticcheck not found at $(STATICCHECK): run 'go install honnef.co/go/tools/cmd/staticcheck@latest' (.ci/run does)"; exit 1; }
	@for m in $(MODULES); do echo "staticcheck $$m/..."; (cd $$m && $(STATICCHECK) ./...) || exit 1; done

# Redis and PostgreSQL on loopback: found running, or started if installed, or a
# clear message saying what is missing.
services:
	@scripts/services.sh

unit:
	@for m in $(MODULES); do echo "go test $$m/..."; (cd $$m && $(GO) test -race -shuffle=on -count=1 -timeout 15m ./...) || exit 1; done

# Each fuzz target runs for FUZZTIME (go test -fuzz takes one target at a time).
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

e2e:
	@if [ -f e2e/run.sh ]; then e2e/run.sh; else echo "e2e: no browser tests yet"; fi

bench:
	@if [ -f bench/run.sh ]; then bench/run.sh; else echo "bench: the side-by-side harness is not built yet"; exit 1; fi

demo:
	$(GO) run ./cmd/sesame demo
