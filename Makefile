# dcplan: `make run` for a demo on http://127.0.0.1:8000, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: install run test check browser serve bench lock clean messages

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# The compiled catalogues (.mo) are not in git: built here from locale/*/LC_MESSAGES/django.po
# with GNU gettext's msgfmt (apt-get install gettext), again whenever a .po changes.
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "msgfmt is missing: sudo apt-get install gettext"; exit 1; fi; }
	$(MANAGE) compilemessages --ignore '.venv' --ignore 'var' --ignore 'bench' -v0

install: $(STAMP) $(MO)

# After changing interface text: extract it into the catalogues, then translate what
# `locale/translate.py todo` lists (see README, "Languages").
messages: install
	$(PY) locale/translate.py update

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo  # loads the plan and offices fixtures on first run, then demo users and data
	@echo
	@echo "dcplan is starting on http://127.0.0.1:8000/"
	@echo "Demo log-ins (password: demo): admin (superuser), pardev (headquarters staff),"
	@echo "  manager (reads everything, downloads reports), focal (field-office focal point)"
	@echo
	@# The review's PDFs render in a background worker (django-tasks, database backend);
	@# it stops with the server.
	$(MANAGE) db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; $(MANAGE) runserver 127.0.0.1:8000

# The browser tests drive Debian's chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium"; exit 1; fi; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null || true; }

check: install
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

# Production server: gunicorn + whitenoise against DATABASE_URL (PostgreSQL in production).
# gunicorn.conf.py checks the settings in gunicorn's master: a bad variable stops it with one line.
# Needs DEBUG=false, SECRET_KEY and ALLOWED_HOSTS in the environment (see README).
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(BIND) --workers $(WORKERS) \
	  --access-logfile - --error-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: install browser check
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

bench: install browser
	$(PY) bench/run.py

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^ruff==' > requirements.lock

clean:
	rm -rf $(VENV) var
