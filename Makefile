# totalis-migrate: the two commands anyone needs are `make transform DUMP=samples` and `make test`.
# Every target installs dependencies when node_modules is missing (npm ci without install scripts: none of our
# dependencies needs one, and npm's prepare would build dist/ a second time; the targets build it once, below).
DUMP ?= samples
OUT ?= out
NODE_ARGS ?=
CLI = node $(NODE_ARGS) bin/totalis-migrate.js
SOURCES := $(shell find lib -name '*.ts' 2>/dev/null)

.PHONY: wasm schemas validators golden review-screenshot all build install transform inspect push-images remove-images check-images rehearse verify test typecheck lint bench samples clean

all: build

# The hex decoder's WebAssembly, from lib/dump/wasm/hex-decode.wat (the compiled bytes are committed).
wasm: node_modules/.package-lock.json
	node lib/dump/wasm/build.mjs

# schemas/target.sql's tables and schemas/target/*.schema.json, from the table model (lib/transform/model/tables.ts;
# the generated files are committed: tests/table-model.test.ts checks them), then the validators compiled from them.
schemas: node_modules/.package-lock.json
	node --import tsx scripts/make-schemas.ts
	node lib/validation/build-validators.mjs

# The JSON Schema validators, compiled ahead of time from schemas/ (lib/validation/validators.ts is committed).
validators: node_modules/.package-lock.json
	node lib/validation/build-validators.mjs

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

install: node_modules/.package-lock.json

dist/cli/main.js: node_modules/.package-lock.json $(SOURCES) tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json
	@touch $@

build: dist/cli/main.js

inspect: build
	$(CLI) inspect $(DUMP)

transform: build
	$(CLI) transform --dump $(DUMP) --out $(OUT) $(ARGS)

push-images: build
	$(CLI) push-images --out $(OUT) $(ARGS)

remove-images: build
	$(CLI) remove-images --out $(OUT) $(ARGS)

check-images: build
	$(CLI) check-images --out $(OUT) $(ARGS)

rehearse: build
	$(CLI) rehearse --dump $(DUMP) $(ARGS)

verify: build
	$(CLI) verify --out $(OUT) $(ARGS)

typecheck: node_modules/.package-lock.json
	npx tsc -p tsconfig.json --noEmit

# The test suite: type check, then tap (tests needing PostgreSQL run when DATABASE_URL is set and are
# reported as skipped otherwise), then the coverage floor (tests/check-coverage.mjs says why it is where it is).
# eslint with typescript-eslint's recommended rules (eslint.config.mjs); part of make test
lint: node_modules/.package-lock.json
	npx eslint .

test: build typecheck lint
	node tests/run-tap.mjs
	node tests/check-coverage.mjs

bench: build
	node $(NODE_ARGS) --import tsx bench/run.ts $(ARGS)

# Regenerate samples/ with the real pg_dump 15 (needs DATABASE_URL; see samples/make-samples.sh).
samples:
	samples/make-samples.sh

clean:
	rm -rf dist out .tap coverage

# docs/review.png from the samples' review page (chromium and CJK/emoji fonts; see the script).
review-screenshot: build
	scripts/review-screenshot.sh

# Rewrite tests/golden/samples/ from the current code; review the diff before committing it.
golden: build
	UPDATE_GOLDEN=1 npx tap tests/golden.test.ts --disable-coverage
