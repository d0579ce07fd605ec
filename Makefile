# Two commands for a new user: `make run` and `make test`. Everything else is set up on demand.
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

.PHONY: run setup test bench system-packages test-system-packages \
        translations-extract translations-update translations-compile clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) states load
	$(FLASK) questionnaires load
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: system-packages $(VENV)/.installed translations-compile

test: setup test-system-packages
	$(BIN)/pytest

# Speed and memory figures (never asserted by tests); results also land in bench-results/.
bench: setup
	$(BIN)/python -m benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

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
