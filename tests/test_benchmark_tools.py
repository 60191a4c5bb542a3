"""The pure parts of the forecast's benchmarks, on known answers: where their origins fall, the bootstrap
interval of a coverage, which backtest residuals each calibration rule reads, and the seed spread of
groups of networks."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks import calibration, calibration_rules, seed_spread
from viewcast.features import Scaler


def test_weekly_origins_are_sundays_and_staggered_ones_every_weekday():
    weekly, staggered = calibration.origins(52), calibration.origins(52, stagger=True)
    assert {o.day_name() for o in weekly} == {"Sunday"} and weekly[1] - weekly[0] == pd.Timedelta(days=7)
    assert staggered[:3] == [pd.Timestamp("2021-01-03"), pd.Timestamp("2021-01-11"), pd.Timestamp("2021-01-19")]
    assert staggered[7] == pd.Timestamp("2021-01-03") + pd.Timedelta(days=49)  # i mod 7 is back to 0
    assert {o.day_name() for o in staggered[:7]} == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                                     "Friday", "Saturday"}


def test_origin_bootstrap_draws_whole_weeks():
    assert calibration._origin_bootstrap([[True] * 21] * 52) == [1.0, 1.0]
    assert calibration._origin_bootstrap([[True, False]] * 52) == [0.5, 0.5]  # every week alike: no doubt
    # two weeks, one all inside, one all outside: a redraw is 0, ½ or 1 with chances ¼, ½, ¼
    assert calibration._origin_bootstrap([[True] * 21, [False] * 21]) == [0.0, 1.0]
    assert calibration._share([[True] * 3, [False]]) == 0.75  # pairs, not weeks, weigh the coverage


def test_shard_is_checked():
    import argparse

    ap = argparse.ArgumentParser()
    assert calibration.shard("2/3", ap) == (2, 3)
    for bad in ("0/2", "3/2", "x", "1/"):
        with pytest.raises(SystemExit):
            calibration.shard(bad, ap)


def test_calibration_rules_read_the_residuals_they_say():
    P = 70  # start p's day h falls (P − p) days before the forecast's day h: same weekday when 7 divides it
    wk = (np.arange(P) - P) % 7
    res = np.repeat((1.0 + wk)[:, None], 7, axis=1)  # the residual says its weekday: 1 on the forecast's
    q = lambda rule: calibration_rules.quantiles(res, rule, 0.2).tolist()  # noqa: E731
    assert q("uniform") == [6.0] * 7  # 1 … 7 ten times each: the ⌈71 × 0.8⌉ = 57th smallest is a 6
    assert q("weekday") == [1.0] * 7  # only the forecast's weekday: ten 1s (a day off would read 2s or 7s)
    assert q("wkscale") == [1.0] * 7  # each residual ÷ its weekday's mean is 1; times the forecast day's, 1
    assert q("first182") == q("last182") == [6.0] * 7  # each half 1 … 7 five times: the ⌈36 × 0.8⌉ = 29th
    assert calibration_rules.quantiles(res[:14], "weekday", 0.2).tolist() == [np.inf] * 7  # 2 cannot make 80%
    assert calibration_rules.conformal(np.array([1.0, 2.0, 3.0]), 0.5, np.ones(3)) == 2.0  # Σw + 1 = 4: 2/4
    with pytest.raises(ValueError, match="unknown rule"):
        calibration_rules.quantiles(res, "median", 0.2)


def test_seed_spread_of_disjoint_groups():
    actual = np.zeros(4)
    z = np.array([[1.0] * 4, [2.0] * 4, [4.0] * 4])  # three networks whose MAEs are 1, 2 and 4
    pred = {"s": (actual, [(1.0, z, np.zeros((4, 1)), Scaler.identity())])}
    got = seed_spread.spreads(pred, m=1, draws=5)["s"]
    assert got == {"mean": 3.0, "p90": 3.0}  # every draw holds all three: 4 ÷ 1 − 1
    assert seed_spread.blend(pred["s"][1], np.array([0, 2])).tolist() == [2.5] * 4  # their outputs averaged


def test_the_busy_table_shows_each_contenders_worst_and_their_ratio():
    from benchmarks import bench_busy

    doc = {"repeat": 2, "measured": "now", "machine": {"nproc": 2, "cpu": "x"},
           "times_s": {"1": {"viewcast": [9.0, 10.0], "spin": [20.0, 18.0], "one_thread": [8.0, 9.5],
                             "passive": [9.0, 9.1]}}}
    row = bench_busy.table(doc).splitlines()[-1].split()
    assert row == ["1", "10.0", "20.0", "9.5", "9.1", "0.50"]
