# The commands the README names. Python >= 3.11 and make are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: install messages demo serve test lint typecheck migrations-check system-packages pytest bench bench-instructions bench-monitor lock db-stop clean rulebook-doc

$(STAMP): pyproject.toml requirements/lock.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) messages

# The interface's translations (src/oversight/locale/*.po) compiled to .mo files, which git ignores.
messages: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory src/oversight/locale --statistics 2>&1 | grep -v "^$$" || true

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --site http://$(HOST):$(PORT)
	$(MAKE) --no-print-directory serve

serve: install
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Oversight on http://$(HOST):$(PORT)/ (Ctrl-C to stop), with the monitor's workers"
	$(BIN)/python manage.py procrastinate worker --queues monitor & acts=$$!; \
	$(BIN)/python manage.py procrastinate worker --queues monitor-sweeps,housekeeping & sweeps=$$!; \
	trap 'kill $$acts $$sweeps 2>/dev/null' EXIT INT TERM; \
	OVERSIGHT_DEMO=1 $(BIN)/gunicorn -c python:oversight.config.gunicorn --bind $(HOST):$(PORT) \
		--access-logfile - --error-logfile -

test: install lint typecheck migrations-check pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy src tests bench

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# What the tests need of the system, which .ci/run installs: Debian's Chromium (the browser tests drive
# it through Playwright, which never downloads one) and gettext's xgettext (the catalogue test).
system-packages:
	@missing=""; \
	[ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || missing="$$missing chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "make test needs Debian's packages:$$missing. Run .ci/run, which installs them and then runs make test, or: sudo apt-get install$$missing" >&2; \
		exit 1; \
	fi

pytest: install system-packages
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: install
	$(BIN)/python bench/approvals.py
	$(BIN)/python bench/monitor.py

# The service layer's CPU per transition, counted under valgrind's callgrind (needs valgrind).
bench-instructions: install
	$(BIN)/python bench/instructions.py

# The legality monitor on synthetic registers of 100k and 1M cases (MONITOR_SIZES=100000 for one size).
bench-monitor: install
	$(BIN)/python bench/monitor.py

lock:
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		-o requirements/lock.txt pyproject.toml

db-stop:
	$(BIN)/python -c 'from oversight.config.database import stop_embedded_server; stop_embedded_server()'

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

rulebook-doc: install
	$(BIN)/python manage.py rulebook_doc > docs/rulebook.md
