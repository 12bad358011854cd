# Two commands: `make run` (embedded default, no services) and `make test` (PostgreSQL + Redis).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/census_coord
export TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
# Python keeps compiled modules (__pycache__, ignored by git) and pytest its rewritten test
# modules even where the environment says not to (the Dockerfile's PYTHONDONTWRITEBYTECODE):
# without them every pytest process, xdist worker and Celery worker a test starts compiles
# the project and rewrites 500 modules again (about 8 s each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install install-dev system-run system-test run test typecheck lint format messages worker beat clean screens

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## System packages (scripts/system_packages.sh): installed when run as root with apt-get,
## otherwise the command to run is printed and make stops before anything else.
system-run:
	@sh scripts/system_packages.sh run
system-test:
	@sh scripts/system_packages.sh test

## Set up and serve the app with demo data on 127.0.0.1:$(PORT).
## Embedded default: SQLite and in-process tasks. DATABASE_URL / CELERY_BROKER_URL switch to
## PostgreSQL / Redis.
## The demo is served as of CENSUS_TODAY, a day in the 2021 tablet window, so that stale
## tablets, window reminders and overdue items show on the first sign-in (every page says
## so in its header); `make run CENSUS_TODAY=` serves it as of the real date.
CENSUS_TODAY ?= 2021-10-12
run: system-run install
	CENSUS_TODAY="$(CENSUS_TODAY)" $(BIN)/python manage.py migrate --noinput
	CENSUS_TODAY="$(CENSUS_TODAY)" $(BIN)/python manage.py seed_demo
	CENSUS_TODAY="$(CENSUS_TODAY)" $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Lint, type-check (see typecheck), check migrations, and run the whole test suite on PostgreSQL and Redis, then its
## SQLite part (marker `sqlite`) on the embedded default. pytest-xdist runs PYTEST_WORKERS
## processes, each with its own test database and Redis key prefix (settings/test.py);
## worksteal moves waiting tests to whichever process is idle. The browser tests take no
## screenshots here (BROWSER_SCREENSHOTS=1 make test does; `make screens` always does).
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist worksteal
test: system-test install-dev
	$(BIN)/python scripts/check_services.py --database "$${DATABASE_URL:-$(TEST_DATABASE_URL)}" --redis "$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)}"
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory typecheck
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" DJANGO_SETTINGS_MODULE=census_coord.settings.test \
		$(BIN)/python manage.py makemigrations --check --dry-run
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" CELERY_BROKER_URL="$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)}" \
		BROWSER_SCREENSHOTS="$${BROWSER_SCREENSHOTS:-0}" $(BIN)/pytest --create-db $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	CELERY_BROKER_URL="$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)}" DJANGO_SETTINGS_MODULE=census_coord.settings.test_sqlite \
		$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS) -m sqlite || [ $$? -eq 5 ]  # 5: PYTEST_ARGS left no SQLite test

## Run the browser tests and refresh the README's tour in docs/screens/ from their screenshots.
SCREENS := var/browser-screens
screens: system-test install-dev
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" CELERY_BROKER_URL="$${CELERY_BROKER_URL:-$(TEST_REDIS_URL)}" \
		BROWSER_SCREENSHOTS=1 $(BIN)/pytest --create-db -m browser -q
	mkdir -p docs/screens
	cp $(SCREENS)/test_department_returns_a_list_the_officer_corrects_it_the_department_accepts-kk/01-login.png docs/screens/01-login.png
	cp $(SCREENS)/test_department_returns_a_list_the_officer_corrects_it_the_department_accepts-kk/02-board.png docs/screens/02-lists-board.png
	cp $(SCREENS)/test_department_returns_a_list_the_officer_corrects_it_the_department_accepts-kk/03-review-return.png docs/screens/03-review.png
	cp $(SCREENS)/test_department_returns_a_list_the_officer_corrects_it_the_department_accepts-kk/05-list-returned.png docs/screens/04-list-returned.png
	cp $(SCREENS)/test_department_hands_over_a_kit_prints_the_act_and_records_a_return_without_stylus-ru/03-act-new.png docs/screens/05-act-new.png
	cp $(SCREENS)/test_department_hands_over_a_kit_prints_the_act_and_records_a_return_without_stylus-ru/08-act-returned.png docs/screens/06-act-returned.png
	cp $(SCREENS)/test_officer_marks_people_enumerated_by_each_method_and_prints_a_certificate-kk/07-worklist-done.png docs/screens/07-worklist.png
	cp $(SCREENS)/test_officer_marks_people_enumerated_by_each_method_and_prints_a_certificate-kk/08-certificate-issued.png docs/screens/08-certificate.png
	cp $(SCREENS)/test_department_reads_the_dashboard_drills_down_and_exports_the_progress_report-ru/03-dashboard-districts.png docs/screens/09-dashboard.png
	cp $(SCREENS)/test_main_pages_fit_a_phone_screen-kk/17-lists_*.png docs/screens/10-phone-list.png
	cp $(SCREENS)/test_row_actions_and_names_are_on_screen_without_scrolling-laptop-kk/01-usb-offloads.png docs/screens/11-usb-offloads-laptop.png
	cp $(SCREENS)/test_row_actions_and_names_are_on_screen_without_scrolling-laptop-ru/03-readiness-board.png docs/screens/12-readiness-laptop.png
	cp $(SCREENS)/test_row_actions_and_names_are_on_screen_without_scrolling-phone-ru/05-worklist.png docs/screens/13-phone-worklist.png
	cp $(SCREENS)/test_phone_header_is_one_row_and_the_menu_opens_on_demand-kk/02-menu-open.png docs/screens/14-phone-menu.png

## mypy with django-stubs and djangorestframework-stubs over the application code
## (pyproject.toml [tool.mypy]); the plugin loads census_coord.settings.test, no database.
typecheck: install-dev
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(BIN)/mypy

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the kk/ru/en catalogues from the code (translate new entries in the .po files
## directly), then compile them.
messages: install-dev
	$(BIN)/python manage.py makemessages -l kk -l ru -l en --no-obsolete --add-location=file --ignore=.venv --ignore=staticfiles --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

## A Celery worker and beat against CELERY_BROKER_URL (see README).
worker: install
	$(BIN)/celery -A census_coord worker --loglevel=INFO -Q default,imports,reminders

beat: install
	$(BIN)/celery -A census_coord beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var .pytest_cache .ruff_cache .hypothesis
