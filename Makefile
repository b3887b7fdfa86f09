# The two commands: `make run` (set up everything and serve on http://127.0.0.1:8000, or on
# PORT: `make run PORT=8001`) and `make test` (the whole suite). Both create .venv on first use.
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

.PHONY: help install run setup serve test test-fast lint format migrations-check translations worker beat bench clean

help:
	@echo "make run [PORT=8000]   set up (virtualenv, install, migrate, councils, demo data) and serve"
	@echo "make test              run the whole test suite"
	@echo "make test-fast         the suite without slow tests (browser, PDFs, workers)"
	@echo "make lint              ruff check and format check, mypy, the layer contract"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make translations      find newly marked words (needs GNU gettext) and compile the catalogues"
	@echo "make worker / beat     run a Celery worker / scheduler (needs REDIS_URL)"
	@echo "make bench             print timings, query counts, Lighthouse and a load test (throwaway databases)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_councils
	$(MANAGE) import_framework
	$(MANAGE) load_demo_data

# PORT goes to the settings too, so links in invitation emails point at this server.
run: setup
	PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

# The slowest tests are listed at the end: CI gives make test 27 minutes.
test: install
	$(VENV)/bin/pytest --durations=15

# The edit loop: everything but the slow tests (browser, PDFs, workers, collectstatic).
test-fast: install
	$(VENV)/bin/pytest -m "not slow"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

# locale/README.md: how words are marked, and how a Welsh speaker corrects the Welsh.
translations: install
	$(MANAGE) makemessages --locale cy --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'node_modules/*' --ignore 'tests/*' \
		--ignore '*/tests/*'
	$(MANAGE) compile_translations

worker: install
	$(VENV)/bin/celery -A config worker -Q celery,benchmarks,reports -l INFO

beat: install
	$(VENV)/bin/celery -A config beat -l INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test.sqlite3

bench: install
	$(MANAGE) bench
	.ci/with-postgres $(MANAGE) bench_benchmarks --sizes $${BENCH_SIZES:-1,10,100}
	.ci/with-postgres $(MANAGE) bench_reports
	.ci/with-postgres $(MANAGE) bench_dashboard --requests $${BENCH_REQUESTS:-50}
	.ci/with-postgres $(MANAGE) bench_api --requests $${BENCH_REQUESTS:-50}
	.ci/lighthouse
	.ci/load
