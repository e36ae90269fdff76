# sesame's build. `make test` is the one command that proves the tree: it checks
# (and as root on Debian installs) the system packages it needs, then runs vet,
# staticcheck, the race-enabled test suite of every module (against the real Redis
# and PostgreSQL), bounded fuzzing of every parser, and the browser tests.

GO          ?= go
# Every module of the workspace, read from go.work's `use` lines, so a module
# added there is vetted, checked and tested without editing this file. Patterns
# are run per module so a module's own go.mod decides its dependencies. ./tools
# only pins the build's Go tools (staticcheck); it has no packages.
MODULES     := $(filter-out ./tools tools,$(shell $(GO) work edit -json | sed -n 's/^.*"DiskPath": "\(.*\)".*$$/\1/p'))
FUZZTIME    ?= 10s

# Node apps the Go tests run against (real Express servers); installed from their
# committed lock files.
NODE_APPS   := doctor/testdata/express compat/express/testdata/app bench/express

.PHONY: test deps vet staticcheck unit fuzz e2e services node-deps bench demo tidy vectors

test: deps vet staticcheck services node-deps unit fuzz e2e

# The system packages (one list, in scripts/deps.sh): installed with apt-get when
# missing and run as root on Debian, else one message naming all that is missing.
deps:
	@scripts/deps.sh

node-deps:
	@for d in $(NODE_APPS); do \
	  if [ -f $$d/package-lock.json ] && { [ ! -f $$d/node_modules/.package-lock.json ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; }; then \
	    echo "npm ci --prefix $$d"; npm ci --prefix $$d --no-audit --no-fund >/dev/null || exit 1; \
	  fi; \
	done

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt -w these files:"; echo "$$unformatted"; exit 1; fi
	@for m in $(MODULES); do echo "go vet $$m/..."; (cd $$m && $(GO) vet ./...) || exit 1; done

# staticcheck (run as `go tool staticcheck`): its version is pinned by the tool directive in tools/go.mod (a module
# of its own, in go.work, so users' module graphs never see it): nothing to
# install by hand, the first run builds it.
staticcheck:
	@for m in $(MODULES); do echo "staticcheck $$m/..."; (cd $$m && $(GO) tool staticcheck ./...) || exit 1; done

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

# The Express interop vectors (compat/express/testdata/vectors) made again by
# the real Node packages: npm ci of the generator's lock file, then the generator,
# which starts its own redis-server on a free loopback port.
VECTORGEN := compat/express/testdata/vectorgen
vectors:
	npm ci --prefix $(VECTORGEN) --no-audit --no-fund
	node $(VECTORGEN)/generate.js compat/express/testdata/vectors
