# The README's commands. Each sets itself up on a fresh machine with only Python and pip.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH_INDEX ?=

$(STAMP): pyproject.toml
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

.PHONY: install demo test bench bench-accuracy browser
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/viewcast demo

test: $(STAMP) browser
	$(BIN)/python -m pytest

# Speed and memory, each against its peers in the same run (about an hour and a half on 2 cores).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_surface.py
	$(BIN)/python benchmarks/bench_folds.py
	$(BIN)/python benchmarks/bench_one_series.py --threads 1
	$(BIN)/python benchmarks/bench_many.py --threads 1
	$(BIN)/python benchmarks/bench_ray.py

# Accuracy and calibration against statsforecast/Prophet (their numbers cached in benchmarks/results;
# to recompute them: a venv with benchmarks/requirements.txt, see benchmarks/README.md).
bench-accuracy: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/vs_peers.py
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/calibration.py

browser:
	@test -x $(CHROMIUM) || [ "$$(id -u)" != 0 ] || (apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei)
	@test -x $(CHROMIUM) || echo "note: no $(CHROMIUM) (installing it needs root): the browser tests will be skipped"
