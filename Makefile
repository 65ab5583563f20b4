# Every command a newcomer needs. `make demo` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test lint fmt bench messages vendor clean install install-test

$(VENV)/.installed: pyproject.toml $(wildcard uv.lock)
ifdef UV
	uv sync --frozen --no-dev --extra test --python $(PYTHON)
else
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
endif
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed

demo: install
	CONVOCA_DEMO=1 $(BIN)/convoca demo

# The suite on SQLite, then on PostgreSQL when CONVOCA_TEST_POSTGRES_URL names a server whose
# user may create databases (.ci/run starts one). CONVOCA_REQUIRE_ALL=1 turns any skip into a failure.
test: install-test lint
	env -u DATABASE_URL -u CONVOCA_DEMO $(BIN)/pytest
	@if [ -n "$$CONVOCA_TEST_POSTGRES_URL" ]; then \
		echo "== the same suite on PostgreSQL =="; \
		env -u CONVOCA_DEMO DATABASE_URL="$$CONVOCA_TEST_POSTGRES_URL" $(BIN)/pytest; \
	elif [ "$$CONVOCA_REQUIRE_ALL" = "1" ]; then \
		echo "PostgreSQL run required (CONVOCA_REQUIRE_ALL=1) but CONVOCA_TEST_POSTGRES_URL is not set"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (set CONVOCA_TEST_POSTGRES_URL=postgres://user:pass@host:port/db)"; \
	fi

lint: install-test
	$(BIN)/ruff check src tests bench deploy/rehearse
	$(BIN)/ruff format --check src tests bench deploy/rehearse
	env -u DATABASE_URL CONVOCA_DEMO=1 CONVOCA_DATA_DIR=$$(mktemp -d) $(BIN)/convoca makemigrations --check --dry-run

# Benchmarks (not tests): they print figures; see docs/benchmarks.md.
bench: install
	$(BIN)/python bench/geojson.py
	$(BIN)/python bench/map.py
	$(BIN)/python bench/load.py

fmt: install-test
	$(BIN)/ruff format src tests bench deploy/rehearse
	$(BIN)/ruff check --fix src tests bench deploy/rehearse

# Extract interface strings into every language's catalogue (needs GNU gettext), fill English
# from the source text, and compile. Translate the new entries, then run it again to compile.
LANGS := en es fr pt de it tr ar ur
messages: install
	cd src/convoca && env -u DATABASE_URL CONVOCA_DEMO=1 CONVOCA_DATA_DIR=$$(mktemp -d) \
		../../$(BIN)/convoca makemessages $(addprefix -l ,$(LANGS)) --no-obsolete --add-location=file
	msgattrib --clear-fuzzy --empty -o src/convoca/locale/en/LC_MESSAGES/django.po src/convoca/locale/en/LC_MESSAGES/django.po
	msgen -o src/convoca/locale/en/LC_MESSAGES/django.po src/convoca/locale/en/LC_MESSAGES/django.po
	cd src/convoca && env -u DATABASE_URL CONVOCA_DEMO=1 CONVOCA_DATA_DIR=$$(mktemp -d) \
		../../$(BIN)/convoca compilemessages --ignore=.venv

# Refresh Leaflet, markercluster, topojson-client and the world outline from npm (pinned versions).
vendor:
	bash deploy/vendor.sh

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
