# The two commands a newcomer needs: `make run` and `make test`. Both bootstrap first.
SWIFT ?= swift
PREFIX ?= /usr/local
ARGS ?=

.PHONY: run serve test bench fuzz build release install bootstrap clean demo-dm

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build --product rapport

## Set up, build and start rapport on the default SQLite store (pass ARGS="prep 'Anna Berg'").
run: build
	@.build/debug/rapport $(ARGS) || [ $$? -eq 130 ]  # Ctrl-C pauses a conversation: not a failure

## Build the chat server too (SwiftNIO: a longer first build) and start it: rapport serve.
serve: bootstrap
	$(SWIFT) build --product rapport
	$(SWIFT) build --product rapport-server
	@.build/debug/rapport serve $(ARGS) || [ $$? -eq 130 ]

## Set up, build and run every test (unit, golden transcripts, the real binary end to end), with
## a throw-away PostgreSQL on 127.0.0.1 for the team store's tests.
test: bootstrap
	@scripts/bootstrap.sh postgresql sqlite3 python3
	$(SWIFT) build --build-tests
	@scripts/with-postgres.sh $(SWIFT) test --skip-build

## A whole Mattermost DM prep with buttons, as a fake Mattermost on 127.0.0.1 records it: the real
## rapport serve holds its event stream, answers by its REST API and takes the presses.
demo-dm: bootstrap
	$(SWIFT) build --build-tests
	@rm -f .build/dm-demo.txt
	@RAPPORT_DEMO_OUT=$(CURDIR)/.build/dm-demo.txt $(SWIFT) test --skip-build --filter aWholeDMPrepWithButtonsReadsAsTheREADMEShowsIt > .build/dm-demo.log 2>&1 || true
	@if [ -s .build/dm-demo.txt ]; then cat .build/dm-demo.txt; else tail -40 .build/dm-demo.log; exit 1; fi

## Release build with the Swift runtime linked in: fast to start, one file to copy.
release: bootstrap
	$(SWIFT) build -c release --product rapport --static-swift-stdlib

## libFuzzer + AddressSanitizer on what chat users and webhooks can send (FuzzTesting/); FUZZ_SECONDS per target.
fuzz: bootstrap
	@scripts/fuzz.sh

## Startup time, a whole scripted prep and peak memory of the release binary (median of runs).
bench: release
	@scripts/bootstrap.sh wrk postgresql
	$(SWIFT) build -c release --product rapport-server --static-swift-stdlib
	@scripts/with-postgres.sh python3 scripts/bench.py .build/release/rapport

## Installs the binary and the built-in flows under PREFIX (default /usr/local).
install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/rapport
	$(SWIFT) build -c release --product rapport-server --static-swift-stdlib
	install -m 755 .build/release/rapport $(PREFIX)/bin/rapport
	install -m 755 .build/release/rapport-server $(PREFIX)/bin/rapport-server
	rm -rf $(PREFIX)/share/rapport/Prompts
	cp -R Prompts $(PREFIX)/share/rapport/Prompts

clean:
	rm -rf .build
