# The README's commands. Each sets itself up on a fresh machine with only Python and pip.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,ray]'
	touch $(STAMP)

# The browser tests drive Debian's headless Chromium (Playwright cannot download its own here); installing
# it needs root (`make test` does it when run as root). Without it they are skipped, unless
# VIEWCAST_REQUIRE_BROWSER=1 (as .ci/run sets).
CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo test bench browser
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/viewcast demo

test: $(STAMP) browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_surface.py
	$(BIN)/python benchmarks/bench_folds.py

browser:
	@test -x $(CHROMIUM) || [ "$$(id -u)" != 0 ] || (apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei)
	@test -x $(CHROMIUM) || echo "note: no $(CHROMIUM) (installing it needs root): the browser tests will be skipped"
