# Stegvis: `make demo` starts the demo, `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export STEGVIS_DEBUG ?= 1
HOST ?= 127.0.0.1:8000

.PHONY: demo test install migrate messages bench loadtest clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.3.1
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@# src/ on the environment's path, so that every tool (lint-imports, python -m ...) finds stegvis
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'stegvis-src.pth').write_text(str(pathlib.Path('src').resolve()) + '\n')"
	touch $(BIN)/activate

install: $(BIN)/activate

migrate: install
	$(BIN)/python manage.py migrate --verbosity 0

demo: migrate
	$(BIN)/python manage.py load_framework
	$(BIN)/python manage.py load_demo
	@echo "Starting the background worker (exports, e-mail), the scheduler (periodic jobs) and the server; Ctrl-C stops all."
	@echo "(The demo server lets admins in without the second factor; STEGVIS_ADMIN_SECOND_FACTOR=1 make demo asks for it, docs/sso.md.)"
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	STEGVIS_ADMIN_SECOND_FACTOR=$${STEGVIS_ADMIN_SECOND_FACTOR:-0} $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

messages: install
	cd src/stegvis && ../../$(BIN)/python ../../manage.py makemessages --locale sv --no-obsolete --add-location file
	cd src/stegvis && ../../$(BIN)/python ../../manage.py compilemessages

# The survey benchmark drives its load with wrk (Debian's package; installed here when root with
# apt-get), else with its Python driver (docs/benchmarks.md).
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || echo "wrk not installed: the survey benchmark uses its Python driver"
	$(BIN)/python -m bench $(BENCH_ARGS)

# The production setup (gunicorn, worker, scheduler, PostgreSQL) under mixed traffic on loopback for
# LOADTEST_MINUTES (default 10), then a check of the database (docs/benchmarks.md). Not run by CI.
LOADTEST_MINUTES ?= 10
loadtest: install
	STEGVIS_DEBUG=0 $(BIN)/python -m bench.loadtest --minutes $(LOADTEST_MINUTES) $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) var
