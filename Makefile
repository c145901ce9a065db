# POS Grocery — every command a newcomer or an operator runs. `make run` and `make test` work on a fresh
# clone: they create the venv, install pinned packages, build the SPA and (as root) install Debian tools.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POS := $(BIN)/pos-grocery
API ?= http://127.0.0.1:$(or $(PORT),8250)
STAMP := $(VENV)/.installed
FRONT_STAMP := frontend/node_modules/.installed
APT_PACKAGES := nginx prometheus chromium fonts-noto-core logrotate curl jq poppler-utils
PYTEST_ARGS ?=

.PHONY: help install system-deps frontend-deps build run test dev dev-fast dev-server dev-client prod \
	deploy-prod check-health check-ready check-integrity check-full setup reset quick-start quick-build \
	quick-check migrate seed lint typecheck bench bench-startup bench-checkout bench-catalog bench-inventory bench-reports bench-ui bench-printing clean \
	backup backup-verify restore drill bench-backup

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## venv + pinned Python packages, byte-compiled (the start-up SLA needs .pyc files)
	@$(BIN)/python -m compileall -q backend $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') > /dev/null || true

system-deps: ## Debian tools the tests use (nginx, promtool, chromium, fonts) — installed only when root
	@missing=""; for b in nginx promtool chromium logrotate curl jq pdftoppm; do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) > /dev/null; \
	  else echo "not root: missing$$missing (their tests will be skipped)"; fi; fi

$(FRONT_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $(FRONT_STAMP)

frontend-deps: $(FRONT_STAMP)

build: frontend-deps ## build the SPA into frontend/dist (prints the lane bundle size; fails over budget)
	cd frontend && npm run build

migrate: install ## apply database migrations (runbook: "Run migrations manually")
	$(POS) migrate

seed: install ## load the demo store (users with PINs printed once, catalog)
	$(POS) seed --demo

run: install build ## start API :8250, SPA :8080, simulated devices, demo data (Ctrl-C stops all)
	ops/scripts/run-all.sh

test: install system-deps build ## install everything the tests need, then run them all
	cd frontend && npm run typecheck && npm test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff + mypy --strict
	$(BIN)/ruff check backend tests
	$(BIN)/mypy

typecheck: lint

# --- the runbook's npm scripts, Python edition (docs/RUNBOOK.md has the table) ---
dev: install frontend-deps ## npm run dev:all — API with reload + Vite dev server on 5173
	DEV_CLIENT=1 ops/scripts/run-all.sh

dev-fast: install frontend-deps ## npm run dev:all:fast — skip migrations and hardware checks
	FAST_DEV=true SKIP_MIGRATIONS=true SKIP_HARDWARE_CHECKS=true DEV_CLIENT=1 ops/scripts/run-all.sh

dev-server: install ## npm run dev:server — API only
	$(POS) serve

dev-client: frontend-deps ## npm run dev:client — Vite dev server only (port 5173, proxies /api to 8250)
	cd frontend && npm run dev

prod: install ## npm run start:all:prod — API + SPA in production mode (no demo data)
	APP_ENV=production NO_SEED=1 ops/scripts/run-all.sh

deploy-prod: build prod ## npm run deploy:prod — build, then start production

check-health: ## npm run check:health
	curl -fsS $(API)/health && echo

check-ready: ## npm run check:ready
	curl -fsS $(API)/api/health/ready && echo

check-integrity: ## npm run check:integrity
	curl -fsS $(API)/api/health/integrity && echo

check-full: check-health check-ready check-integrity ## npm run check:full — every probe plus the start-up SLA
	curl -fsS $(API)/api/health && echo
	curl -sS $(API)/api/health/startup && echo

setup: install build ## npm run setup — install, build, .env from the example, migrate
	test -f .env || cp .env.example .env
	$(POS) migrate

reset: install ## npm run reset — move the database aside (kept as data/pos.db.reset.TIMESTAMP) and migrate anew
	ops/scripts/reset.sh

quick-start: dev-fast ## npm run quick:start
quick-build: build ## npm run quick:build
quick-check: check-health ## npm run quick:check

# --- backups (docs/BACKUP.md); no `install` prerequisite: these run on an installed server ---
backup: ## scripts/backup.sh — online backup, integrity-checked, gzip + SHA-256, retention, log line
	$(POS) backup

backup-verify: ## scripts/backup.sh --verify — the newest backup: checksum, gzip, integrity, schema, age (RPO)
	$(POS) backup --verify

restore: ## restore.sh — no variable: list backups; BACKUP=FILE|latest or TO_TIME=T|latest; FORCE=1 accepts an old one
	$(POS) restore $(BACKUP) $(if $(TO_TIME),--to-time '$(TO_TIME)') $(if $(FORCE),--force)

drill: ## the runbook's restore drill against a staging copy: drill log, PASS/FAIL, RTO (STRICT=1: pending fails)
	$(POS) drill $(if $(STRICT),--strict)

bench: bench-startup bench-checkout bench-catalog bench-backup bench-inventory bench-reports bench-ui bench-printing ## every benchmark (figures + ratios; not part of make test)

bench-startup: install ## 20 cold starts: exec → "listening" and → first /health 200
	$(BIN)/python tests/perf/bench_startup.py --runs 20

bench-checkout: install ## 20-line sales over HTTP: 500/s open loop, saturation, server CPU per sale, vs the same APSW transaction
	$(BIN)/python tests/perf/bench_checkout.py

bench-printing: install ## sequential cash sales with printing off and on (simulated printer): pay -> printed latency, API CPU per sale
	$(BIN)/python tests/perf/bench_printing.py --sales 200

bench-ui: install build ## lane in Chromium over 1M products: cold load (<= 1 s), scan -> line p95 (<= 50 ms), keypress p95 on a 100-line cart (<= 16 ms)
	$(BIN)/python tests/perf/bench_ui.py --products 1000000 --scans 200 --loads 5

bench-reports: install ## Z of a 20,000-sale day (<= 200 ms) and 90-day sales by day over 1M sales (<= 1 s)
	$(BIN)/python tests/perf/bench_reports.py

bench-inventory: install ## stock writes of a sale with/without a per-product ledger index; ledger integrity at 1M products
	$(BIN)/python tests/perf/bench_inventory.py

bench-catalog: install ## 1M products: scan lookup + search over HTTP (500/s open loop, saturation) vs in-process
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || true
	$(BIN)/python tests/perf/bench_catalog.py --products 1000000

bench-backup: install ## 1 GB database: backup under sales (commit p99 ratio), verify, restore, drill RTO, archive
	$(BIN)/python tests/perf/bench_backup.py

clean: ## remove the venv, node_modules and build output
	rm -rf $(VENV) frontend/node_modules frontend/dist
