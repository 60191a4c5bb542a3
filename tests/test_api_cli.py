"""Every step the CLI does is a line or two of Python with the same numbers for the same seed:
`cv`, `forecast`, `diagnose` and `surface` here, beside test_api.py's `fit` and `ladder`. Each command's
--json is set against the API result's as_dict(), key by key: only the command's own additions (the
files it wrote) and the seconds a run took may differ."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import viewcast as vc
from viewcast.cli import app
from viewcast.cli.kit import jsonable

from conftest import weekly_series

TIMING = {"seconds"}  # wall-clock, never the same twice


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("api_cli") / "weekly.csv"
    s = pd.Series(weekly_series(500), index=pd.date_range("2020-01-01", periods=500))
    s.rename_axis("date").rename("value").to_csv(path)
    return path


def cli_json(*args) -> dict:
    out = CliRunner().invoke(app, [str(a) for a in args])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def drop_timing(o):
    if isinstance(o, dict):
        return {k: drop_timing(v) for k, v in o.items() if k not in TIMING}
    if isinstance(o, list):
        return [drop_timing(v) for v in o]
    return o


def same(cli: dict, result, extra: set[str]) -> None:
    """The CLI's JSON is the result's as_dict() plus the command's `extra` keys, number for number."""
    py = jsonable(result.as_dict())
    assert set(cli) - set(py) == extra and not set(py) - set(cli)
    for key in py:
        assert drop_timing(cli[key]) == drop_timing(py[key]), key


def test_cv_is_select(csv):
    cli = cli_json("cv", csv, "--models", "linear:7,relu:7x16", "--val", "kfold:3", "--epochs", 60, "--seed", 2,
                   "--no-plots", "--json")
    sel = vc.select(csv, ["linear:7", "relu:7x16"], "kfold:3", epochs=60, seed=2)
    same(cli, sel, {"figures", "saved", "saved_trained_through"})
    assert [m["model"] for m in cli["models"]] == ["linear:7", "relu:7x16"] and len(cli["models"][0]["val_mae_folds"]) == 3
    assert cli["seeds"] == [2]  # the seed reached both sides


def test_seed_streams_do_not_overlap(csv):
    """--seed 1 --seeds 2 trains validation seeds 2 and 3: exactly the last two of --seed 0 --seeds 4."""
    one = vc.select(csv, ["relu:7x8"], "kfold:3", epochs=30, seed=1, seeds=2, features=vc.Features())
    four = vc.select(csv, ["relu:7x8"], "kfold:3", epochs=30, seed=0, seeds=4, features=vc.Features())
    assert list(one.seeds) == [2, 3] and list(four.seeds) == [0, 1, 2, 3]
    # The same networks, trained in stacks of 6 and of 12 members: a batched matmul may sum in another
    # order for another stack shape on some CPUs (an AMD EPYC: 386.47193466 vs 386.47193456), so not
    # bit for bit. A relative 1e-5 is 300× the largest such difference seen, and 100× below the smallest
    # between two different seeds' networks (seeds 1, 2 against 2, 3: 1e-3 and more).
    np.testing.assert_allclose(one.candidates[0].val_mae, four.candidates[0].val_mae[6:], rtol=1e-5, atol=0)


def test_forecast_is_forecast(csv):
    cli = cli_json("forecast", csv, "--models", "linear:14", "--no-search", "--days", 5, "--epochs", 60, "--json")
    f = vc.forecast(csv, 5, ["linear:14"], features=vc.Features(), epochs=60)
    same(cli, f, {"files", "saved", "draft"})
    assert cli["draft"] is True  # 60 epochs: fewer updates than the default recipe, so a draft
    assert len(cli["forecast"]) == 5 and cli["forecast"][0]["date"] == "2021-05-15"  # the day after the 500th


def test_diagnose_is_diagnose(csv):
    cli = cli_json("diagnose", csv, "--models", "linear:1,linear:7", "--epochs", 100, "--no-plots", "--json")
    d = vc.diagnose(csv, ["linear:1", "linear:7"], epochs=100)
    same(cli, d, {"figures", "warnings"})
    assert [m["verdict"] for m in cli["models"]][0] == "model_bias"  # one day of input cannot see the week


def test_surface_is_error_surface(csv, tmp_path):
    cli = cli_json("surface", csv, "--normalize", "--grid", 20, "-o", tmp_path / "s.png", "--json")
    same(cli, vc.error_surface(csv, grid=20, normalize=True), {"files"})
    assert (tmp_path / "s.png").exists()


def test_the_function_forecast_is_not_replaced_by_its_module():
    """Importing the subpackage viewcast.forecast for the first time (the CLI does) must not turn
    vc.forecast into a module."""
    import subprocess
    import sys

    code = "import viewcast as vc, viewcast.cli, viewcast.store; print(callable(vc.forecast))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_many_series_forecast_uses_forecasts_default_selector():
    """The many-series path (a Job) resolves forecast's default selector (seeds, refit ensemble, rule,
    whole schedules) as `vc.forecast` does: on a white-noise draw where validation cannot tell linear:7
    from linear:14, both give the same weighted mean of the two (rule ratio), with the same numbers."""
    import numpy as np
    from viewcast.evaluate.rules import RATIO_SAID, blend_items, ratio_weights
    from viewcast.forecasting import Selector

    rng = np.random.default_rng(4)
    s = vc.load_series(pd.Series(100 + rng.normal(0, 5, 500), index=pd.date_range("2020-01-01", periods=500)))
    alone = vc.forecast(s, 2, ["linear:7", "linear:14"], features=vc.Features(), epochs=60)
    assert sorted(c.label for c in alone.blend) == ["linear:14", "linear:7"] and alone.weighted
    assert alone.blend_weights == [w for _, w in ratio_weights(alone.candidates)]
    rows = vc.forecast([s], 2, ["linear:7", "linear:14"], features=vc.Features(), epochs=60).to_frame()
    assert list(rows["chosen"]) == [" | ".join(blend_items([c.label for c in alone.blend], alone.blend_weights))] * 2
    assert list(rows["views"]) == pytest.approx(list(alone.forecast), rel=1e-9)
    d = Selector.DEFAULT
    assert alone.refit.ensemble == d.ensemble and len(alone.chosen.val_mae) == d.folds * d.seeds
    from viewcast.cli.views.forecast import text

    said = " ".join(str(x) for x in text(alone))  # the default's text names its own rule's weights
    assert alone.rule == "ratio" and alone.as_dict()["chosen"]["rule"] == "ratio"
    assert RATIO_SAID in said and "exp(−z)" not in said
    assert alone.refit.updates == 60 and alone.chosen.best_update is None  # whole schedules: no early stopping
