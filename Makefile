# The README's commands. Each sets itself up on a fresh machine with only Python and pip.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH_INDEX ?=

$(STAMP): pyproject.toml
	@echo "setting up $(VENV): pip, torch 2.13.0 and viewcast with its dependencies (a minute or two; pip is quiet)"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: a bare `torch` requirement would pull the newest (on PyPI, a multi-GB CUDA build).
	# The development machines' pip serves the CPU wheel; elsewhere pass
	# TORCH_INDEX='--index-url https://download.pytorch.org/whl/cpu' for the CPU build.
	$(BIN)/pip install -q torch==2.13.0 $(TORCH_INDEX)
	$(BIN)/pip install -q -e '.[dev,ray]'
	touch $(STAMP)

# The browser tests drive Debian's headless Chromium (Playwright cannot download its own here); installing
# it needs root (`make test` does it when run as root). Without it they are skipped, unless
# VIEWCAST_REQUIRE_BROWSER=1 (as .ci/run sets).
CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo test test-fast bench bench-accuracy browser
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/viewcast demo

# Every test, and the 25 slowest printed at the end (CI runs this).
test: $(STAMP) browser
	$(BIN)/python -m pytest --durations=25

# The quick loop: every test but those marked slow (pytest -m slow runs just those).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" --durations=10

# Speed and memory, each against its peers in the same run (about an hour and a half on 2 cores). The peers
# (statsforecast, mlforecast, LightGBM, Prophet) live in their own venv, .venv-peers (pandas < 3):
PEERS_VENV := .venv-peers
$(PEERS_VENV)/.installed: benchmarks/requirements.txt
	$(PY) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q torch==2.13.0 $(TORCH_INDEX)
	$(PEERS_VENV)/bin/pip install -q -e . -r benchmarks/requirements.txt
	touch $@

bench: $(STAMP) $(PEERS_VENV)/.installed
	VIEWCAST_PEERS_PYTHON=$(PEERS_VENV)/bin/python $(BIN)/python -m benchmarks.bench_forecast
	$(BIN)/python -m benchmarks.bench_surface
	$(BIN)/python -m benchmarks.bench_folds
	$(BIN)/python -m benchmarks.bench_one_series --threads 1
	$(BIN)/python -m benchmarks.bench_many --threads 1
	$(BIN)/python -m benchmarks.bench_ray

# Accuracy and calibration against every peer (their numbers cached in benchmarks/results; to recompute them:
# `$(PEERS_VENV)/bin/python -m benchmarks.peers` and `-m benchmarks.peers_ml --choose --score`).
bench-accuracy: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.vs_peers --seeds 8 9 10
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.calibration --contender viewcast

browser:
	@test -x $(CHROMIUM) || [ "$$(id -u)" != 0 ] || (apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei)
	@test -x $(CHROMIUM) || echo "note: no $(CHROMIUM) (installing it needs root): the browser tests will be skipped"
