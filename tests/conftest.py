import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from browser import browser, open_page  # noqa: F401  (fixtures: one headless Chromium per session)

ROOT = Path(__file__).resolve().parents[1]
# The real series and homework data, read in place and never copied: ../shared beside the clone (as CI has
# it), or wherever VIEWCAST_SHARED points. A clone without it skips the tests that read them, saying why.
SHARED = Path(os.environ.get("VIEWCAST_SHARED") or ROOT.parent / "shared")
VIEWS = SHARED / "data" / "views"
HW1 = SHARED / "data" / "hw1"


def need(path: Path) -> Path:
    """`path`, or skip the test: it reads real data that this clone does not have beside it."""
    if not path.exists():
        pytest.skip(f"needs {path}: the real data in ../shared/data beside the clone (or set VIEWCAST_SHARED)")
    return path


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(text, name='x.csv', encoding='utf-8') → path of a CSV in a fresh folder."""

    def _write(text: str, name: str = "x.csv", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return _write


def daily_csv(values, start="2020-01-01", header="date,value") -> str:
    dates = pd.date_range(start, periods=len(values), freq="D")
    return header + "\n" + "".join(f"{d:%Y-%m-%d},{v}\n" for d, v in zip(dates, values))


def weekly_series(n_days: int = 900, seed: int = 0) -> np.ndarray:
    """A views-like series with a weekly cycle (Fri/Sat low) and noise: a known structure."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_days)
    week = np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.55, 0.6])[t % 7]
    return np.round(5000 * week * (1 + 0.1 * np.sin(t / 60)) + rng.normal(0, 150, n_days))


@pytest.fixture(scope="session")
def ray_session():
    """One local Ray for the whole test session (its start-up costs seconds). CI installs the extra
    and sets VIEWCAST_REQUIRE_RAY=1, so there a missing Ray fails instead of skipping."""
    import os

    try:
        import ray
    except ImportError:
        if os.environ.get("VIEWCAST_REQUIRE_RAY"):
            raise
        pytest.skip("Ray is not installed: pip install 'viewcast[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()
