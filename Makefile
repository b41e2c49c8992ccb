# Two commands set up everything: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 5000
# The web server and the mail worker both read it: BASE_URL defaults to this port.
export PORT
VENV := .venv
BIN := $(VENV)/bin
SOURCES := app.py config.py i18n.py commands.py blueprints services models templates
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test bench install translations messages vendor clean

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask send-mail & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

bench: install translations
	$(BIN)/python -m bench.run

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

translations: install $(COMPILED)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --statistics -i $< -o $@

# For developers: collect new texts into the catalogues after changing templates or code.
messages: install
	$(BIN)/pybabel extract --width 79 --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot $(SOURCES)
	$(BIN)/pybabel update --width 79 --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

# The door's QR decoder (jsQR, package.json) from npm into static/, where the
# app serves it (no CDN). The copy is committed, so installing needs no npm.
vendor: package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p static/vendor/jsqr
	cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE static/vendor/jsqr/

clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo
