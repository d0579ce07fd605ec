# Two commands for a new user: `make run` and `make test`; `make serve` runs the production stack.
# Everything else is set up on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
LANGUAGES := ar es fr ru zh
# Where the catalogs are; tests point it at a copy to check what an update does to them.
TRANSLATIONS ?= translations
CATALOGS := $(foreach lang,$(LANGUAGES),translations/$(lang)/LC_MESSAGES/messages.mo)

.PHONY: run serve setup lock test test-fast bench system-packages test-system-packages \
        translations-extract translations-update translations-compile clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) states load
	$(FLASK) questionnaires load
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

# The production stack on this machine: gunicorn and job workers against DATABASE_URL (PostgreSQL);
# the schema (with the job queue's) is migrated first. See docs/deployment.md.
serve: setup
	@case "$$DATABASE_URL" in postgresql*) ;; *) echo "make serve needs DATABASE_URL=postgresql+psycopg://..." >&2; exit 2;; esac
	$(FLASK) db upgrade
	$(FLASK) states load
	$(FLASK) questionnaires load
	PORT=$(PORT) HOST=$(HOST) scripts/serve.sh

setup: system-packages $(VENV)/.installed translations-compile

# The suite runs in one process per core (pytest-xdist), a test file per process at a time; the
# browser tests then run in one process, in their own order (in parallel with other files, one
# of them waited 30 s for a page that never answered).
TEST_WORKERS ?= auto
test: setup test-system-packages
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser"
	$(BIN)/pytest -m browser

# The edit loop: everything but the browser, the tests that start servers and the slow ones.
test-fast: setup
	$(BIN)/pytest -m "not browser and not subprocess and not slow"

# Speed and memory figures (never asserted by tests); results also land in bench-results/.
bench: setup
	$(BIN)/python -m benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installed from the lock file, every package pinned with its hashes: the versions that render
# profiles (and key their cache) are exactly the ones locked.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# Regenerate the lock files after changing requirements.txt or requirements-dev.txt.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--strip-extras -o requirements.lock requirements.txt
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--strip-extras -o requirements-dev.lock requirements-dev.txt

system-packages:
	@scripts/system-packages.sh runtime

test-system-packages:
	@scripts/system-packages.sh test

# Interface strings: extract from code and templates, merge into each language, compile.
translations-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --no-location --no-wrap --sort-output -k _l -k lazy_gettext \
		--project "TIP self-assessment" -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap \
		--ignore-obsolete --no-fuzzy-matching

translations-compile: $(CATALOGS)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -l $* >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts $(CATALOGS)
