# The two commands a newcomer runs: `make demo` and `make test`. `make demo` needs only Python
# 3.12+ and WeasyPrint's libraries (it says how to install them where they are missing): no root,
# no Debian. `make test` also installs the Debian packages the browser and PDF tests need.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/complaints
DEMO_DB ?= sqlite:///$(CURDIR)/db.sqlite3
# Debian packages: WeasyPrint's libraries (PDF letters), poppler for PDF checks, Chromium for browser tests,
# Dovecot for the mailroom's IMAP tests (started by the suite as an unprivileged process).
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium dovecot-imapd
PYTEST_ARGS ?=

.PHONY: demo test lint system-deps pdf-libs install serve clean

# Find a Python 3.12+: a working python3.13/python3.12 on PATH, else pyenv's interpreter.
define find_python
for c in python3.13 python3.12 python3; do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then command -v $$c; exit 0; fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in $$(ls "$$(pyenv root)/versions" 2>/dev/null | sort -rV); do \
    for c in "$$(pyenv root)/versions/$$v/bin/python3"; do \
      if [ -x "$$c" ] && "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
    done; \
  done; \
fi; \
exit 1
endef

$(VENV)/.created:
	@PYBIN=$$( $(find_python) ) || { echo "error: Python 3.12 or newer is needed. Install it (e.g. 'pyenv install 3.12', your package manager's python3.12, or python.org's installer) and run make again." >&2; exit 1; }; \
	echo "Using $$PYBIN ($$($$PYBIN --version))"; \
	"$$PYBIN" -m venv $(VENV)
	@touch $@

$(VENV)/.installed: $(VENV)/.created requirements.txt requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
	@touch $@

install: $(VENV)/.installed

# WeasyPrint's native libraries (letters as PDFs): a clear message with the install commands for
# Debian/Ubuntu, Fedora and macOS, and a non-zero exit, where they are missing (common/native_libs.py).
pdf-libs: install
	@$(PY) -m common.native_libs

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "error: install these Debian packages first:$$missing" >&2; exit 1; fi; \
	fi

# ruff, the import layers (.importlinter) and the types (pyproject [tool.mypy]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The demo runs a year into the regime (demo/clock.py): DEMO_CLOCK= (empty) for real time.
DEMO_CLOCK ?= regime

demo: install pdf-libs
	DATABASE_URL=$(DEMO_DB) $(PY) manage.py migrate --no-input
	DATABASE_URL=$(DEMO_DB) DEMO_CLOCK=$(DEMO_CLOCK) $(PY) manage.py load_demo_data
	@echo ""
	@echo "Serving on http://127.0.0.1:8000/  (Ctrl-C to stop)"
	DATABASE_URL=$(DEMO_DB) DEMO_CLOCK=$(DEMO_CLOCK) $(PY) manage.py runserver 127.0.0.1:8000

test: lint system-deps
	DATABASE_URL=$(DATABASE_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .hypothesis
