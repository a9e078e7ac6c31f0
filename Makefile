# totalis-migrate: the two commands anyone needs are `make transform DUMP=samples` and `make test`.
# Every target installs dependencies when node_modules is missing (npm ci without install scripts: none of our
# dependencies needs one, and npm's prepare would build dist/ a second time; the targets build it once, below).
DUMP ?= samples
OUT ?= out
NODE_ARGS ?=
# --expose-gc as the installed command's shebang has it (lib/collect-garbage.ts)
CLI = node --expose-gc $(NODE_ARGS) bin/totalis-migrate.js
SOURCES := $(shell find lib -name '*.ts' 2>/dev/null)
# the code make format and make lint check (generated files left out, as .prettierignore does)
CODE = $(filter-out lib/validation/validators.ts lib/dump/wasm/hex-decode-wasm.ts,$(shell find lib tests bench scripts bin -name '*.ts' -o -name '*.mjs' -o -name '*.js' 2>/dev/null | grep -v -e '^tests/fixtures/' -e '^tests/golden/' -e '^bench/data/'))

.PHONY: wasm schemas validators golden review-screenshot all build install transform inspect push-images remove-images check-images rehearse verify test test-unit typecheck lint format bench samples clean

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
	npx prettier --check --log-level warn .
	@echo "node scripts/wrap-comments.mjs --check <lib, tests, bench, scripts, bin>"
	@node scripts/wrap-comments.mjs --check $(CODE)

# prettier at 120 columns (.prettierrc.json, .prettierignore), then comments rewrapped to the same width
# (prettier leaves comments as written; scripts/wrap-comments.mjs says how it wraps them)
format: node_modules/.package-lock.json
	npx prettier --write --log-level warn .
	node scripts/wrap-comments.mjs $(CODE)

test: build typecheck lint
	node tests/run-tap.mjs
	node tests/check-coverage.mjs

# The fast tier, beside `make test` (which runs everything and stays what CI and the README run): the tests that
# need no server (DATABASE_URL is unset for them), no PGlite, no child process, no run of the whole transform
# and no large generated data; fewer random cases (FUZZ_RUNS, FC_RUNS) than make test's; no type check, lint or
# coverage floor (docs/testing.md lists what each tier runs and leaves out). A test that fits those rules and is
# quick belongs in this list.
UNIT_TESTS = $(addprefix tests/,$(addsuffix .test.ts,buffer-internals chunk-buffer config-duplicates \
  create-table displayed-values docs-findings fuzz images-plan json-schemas layering legacy-schema \
  progress reader-errors run-lock transform-categories-config voice-id year-of-birth \
  image-sink-bounds write-image))

test-unit: node_modules/.package-lock.json
	env -u DATABASE_URL FUZZ_RUNS=500 FC_RUNS=1000 node tests/run-tap.mjs --disable-coverage $(UNIT_TESTS)

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
