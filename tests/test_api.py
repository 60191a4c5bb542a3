"""The Python API: every step in a line or two, in the caller's language, results as tables."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import viewcast as vc
from viewcast.cli import app
from viewcast.cli.kit import jsonable

from conftest import weekly_series


@pytest.fixture(scope="module")
def pandas_series():
    return pd.Series(weekly_series(500), index=pd.date_range("2020-01-01", periods=500), name="weekly")


def test_every_public_name_is_documented_with_an_example():
    for name in vc.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(vc, name)
        assert obj.__doc__ and obj.__doc__.strip(), name
    for name in ("load_series", "fit", "ladder", "cross_validate", "select", "diagnose", "error_surface", "save", "load"):
        assert ">>>" in getattr(vc, name).__doc__, name


def test_errors_name_the_python_parameter_not_the_cli_option():
    with pytest.raises(vc.ViewcastError) as e:
        vc.TrainConfig(lr=-1)
    assert str(e.value).startswith("lr=-1:") and "--lr" not in str(e.value)
    assert e.value.param == "lr" and e.value.value == -1
    assert e.value.render(cli=True).startswith("--lr -1:")
    with pytest.raises(vc.ViewcastError, match=r"^early_stop=0:"):
        vc.fit("wiki:Standard_deviation", "linear:7", early_stop=0)


def test_ladder_of_several_series_or_a_table_refuses_seeds(tmp_path):
    """Several series and a table train one network per rung: `seeds=3` is refused there, not dropped silently,
    as `viewcast ladder 'wiki:*' --seeds 3` is; left out, it runs."""
    table = tmp_path / "t.csv"
    pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) * 2}).to_csv(table, index=False)
    for data, kw in ((["wiki:Easter", "wiki:Germany"], {}), (table, {"target": "y"})):
        with pytest.raises(vc.ViewcastError, match=r"^seeds=3: .* trains one network per rung") as e:
            vc.ladder(data, seeds=3, epochs=5, **kw)
        assert e.value.hint == "leave seeds out"


def test_ladder_from_a_pandas_series_as_a_dataframe(pandas_series):
    t = vc.ladder(vc.load_series(pandas_series), epochs=40).to_frame()
    assert isinstance(t, pd.DataFrame) and t.index.names == ["table", "model"]
    assert ("C", "relu:56x100x5") in t.index and t["train_mae"].notna().all()


def test_select_diagnose_surface_in_a_line_each(pandas_series):
    sel = vc.select(pandas_series, ["linear:7", "relu:7x16"], "kfold:3", epochs=60)
    assert sel.chosen.label in ("linear:7", "relu:7x16") and len(sel.chosen.val_mae) == 3
    assert set(sel.to_frame().index) == {"linear:7", "relu:7x16"} and "<table" in sel._repr_html_()
    d = vc.diagnose(pandas_series, ["linear:1", "linear:7"], epochs=200)
    assert list(d.to_frame().index) == ["linear:1", "linear:7"] and d.as_dict()["overall"]["verdict"]
    r = vc.error_surface(pandas_series, grid=25)
    assert r.surfaces[0].L.shape == (25, 25) and r.as_dict()["view"] == "surface"


def test_python_and_cli_give_the_same_numbers(tmp_path, pandas_series):
    """fit and ladder through the API and through the CLI, same seed: the same JSON numbers."""
    csv = tmp_path / "w.csv"
    pandas_series.rename_axis("date").rename("value").to_csv(csv)
    runner = CliRunner()
    out = runner.invoke(app, ["fit", str(csv), "--model", "relu:7x16", "--epochs", "80", "--seed", "3", "--json"])
    assert out.exit_code == 0, out.output
    cli = json.loads(out.stdout)
    py = jsonable(vc.fit(csv, "relu:7x16", epochs=80, seed=3).as_dict())
    for k in ("train", "test", "updates", "stop_reason", "params", "split"):
        assert cli[k] == py[k], k
    out = runner.invoke(app, ["ladder", str(csv), "--epochs", "15", "--json"])
    cli = json.loads(out.stdout)
    py = jsonable(vc.ladder(csv, epochs=15).as_dict())
    assert [r["train_mae"] for r in cli["rows"]] == [r["train_mae"] for r in py["rows"]]


def test_load_series_takes_pandas_objects(pandas_series):
    s = vc.load_series(pandas_series)
    assert s.name == "weekly" and len(s) == 500 and np.array_equal(s.values, pandas_series.to_numpy())
    df = pandas_series.rename("views").reset_index().rename(columns={"index": "date"})
    assert np.array_equal(vc.load_series(df).values, s.values)
    with pytest.raises(vc.DataError, match="not dates"):
        vc.load_series(pd.Series([1.0, 2.0], index=["a", "b"]))
    with pytest.raises(vc.DataError, match="numeric columns"):
        vc.load_series(pd.DataFrame({"date": pandas_series.index[:3], "a": [1, 2, 3], "b": [1, 2, 3]}))


def test_public_functions_are_not_shadowed_by_subpackages():
    """No package of viewcast is named like a public function (importing viewcast.X would set vc.X to the
    package), and importing every module leaves each public name what the package exports."""
    import importlib
    import pkgutil

    import viewcast

    names = [n for n in vc.__all__ if callable(getattr(vc, n))]
    exported = {n: getattr(vc, n) for n in names}
    assert not {m.name for m in pkgutil.iter_modules(viewcast.__path__)} & set(names)
    for m in pkgutil.walk_packages(viewcast.__path__, "viewcast."):
        if not m.name.startswith("viewcast.cli") and not m.name.endswith("__main__"):  # they run the CLI
            importlib.import_module(m.name)
    assert {n: getattr(vc, n) for n in names} == exported
    assert vc.fit.__module__ == "viewcast.api" and vc.diagnose.__module__ == "viewcast.api"
