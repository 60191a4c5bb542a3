import numpy as np
import pandas as pd
import pytest

from viewcast.errors import DataError
from viewcast.data.series import DailySeries
from viewcast.features import Scaler, choose_split, make_windows, prepare


def series(values, start="2020-01-01"):
    return DailySeries("t", np.asarray(values, dtype=float), pd.Timestamp(start))


def test_windows_exact_small_array():
    w = make_windows(np.arange(1.0, 7.0), 3, pd.Timestamp("2021-01-01"))
    assert w.X.tolist() == [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
    assert w.y.tolist() == [4, 5, 6]
    assert [f"{d:%m-%d}" for d in w.dates] == ["01-04", "01-05", "01-06"]


def test_windows_too_short_and_bad_k():
    assert len(make_windows(np.arange(3.0), 3, pd.Timestamp("2021-01-01"))) == 0
    with pytest.raises(DataError):
        make_windows(np.arange(3.0), 0, pd.Timestamp("2021-01-01"))


def test_book_split_when_covered():
    s = series(np.ones(2000), "2016-12-01")
    sp = choose_split(s)
    assert (sp.train_start, sp.train_end) == (pd.Timestamp("2017-01-01"), pd.Timestamp("2020-12-31"))
    assert (sp.test_start, sp.test_end) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-14"))


def test_last_ten_percent_otherwise_and_overrides():
    s = series(np.ones(100))
    sp = choose_split(s)
    assert (sp.test_end - sp.test_start).days + 1 == 10
    assert sp.train_end == sp.test_start - pd.Timedelta(days=1)
    sp2 = choose_split(s, test_start="2020-03-01")
    assert sp2.train_end == pd.Timestamp("2020-02-29")


def test_inconsistent_split_refused():
    s = series(np.ones(100))
    with pytest.raises(DataError, match="must start after"):
        choose_split(s, train_end="2020-03-01", test_start="2020-02-01")
    with pytest.raises(DataError, match="not a date"):
        choose_split(s, test_start="yesterday")
    with pytest.raises(DataError, match="after the series ends"):
        choose_split(s, test_start="2030-01-01", test_end="2030-02-01")


def test_prepare_scaler_from_training_rows_only():
    v = np.arange(100.0)
    s = series(v)
    sp = choose_split(s, train_end="2020-03-19")  # 79 training days, 21 test days
    p = prepare(s, 3, sp)
    assert p.train.dates[-1] == pd.Timestamp("2020-03-19") and p.test.dates[0] == pd.Timestamp("2020-03-20")
    assert p.scaler.mean == pytest.approx(np.mean(p.train.y))
    # Changing test-period values must not change the scaler
    v2 = v.copy()
    v2[-10:] = 1e6
    assert prepare(series(v2), 3, sp).scaler == p.scaler


def test_history_aligns_target_days():
    s = series(np.arange(200.0))
    sp = choose_split(s)
    a, b = prepare(s, 1, sp, history=56), prepare(s, 56, sp, history=56)
    assert list(a.train.dates) == list(b.train.dates)


def test_too_few_days_says_how_many():
    with pytest.raises(DataError, match="needs at least"):
        prepare(series(np.ones(30)), 28, choose_split(series(np.ones(30))))


def test_gaps_refused_until_filled():
    v = np.arange(60.0)
    v[10:12] = np.nan
    s = series(v)
    with pytest.raises(DataError, match="2 missing days in 1 gap: 2020-01-11…2020-01-12"):
        prepare(s, 3, choose_split(s))
    assert s.filled("interpolate").values[10:12].tolist() == [10.0, 11.0]
    assert s.filled("zero").values[10:12].tolist() == [0.0, 0.0]


def test_scaler_round_trip():
    sc = Scaler.fit(np.array([1.0, 3.0]))
    assert (sc.mean, sc.std) == (2.0, 1.0)
    assert sc.inverse(sc.transform(np.array([5.0])))[0] == 5.0


def test_log_scaler_round_trip_and_weekday_encoding():
    from viewcast.features import Features, encode

    sc = Scaler.fit(np.array([9.0, 99.0, 999.0]), log=True)
    v = np.array([0.0, 5.0, 12345.0])
    assert np.allclose(sc.inverse(sc.transform(v)), v)
    assert sc.mean == pytest.approx(np.mean(np.log([10.0, 100.0, 1000.0])))
    Z = encode(np.ones((2, 3)), pd.DatetimeIndex(["2021-02-26", "2021-03-01"]), Scaler.identity(), weekday=True)
    assert Z.shape == (2, 10)
    assert Z[0, 3:].tolist() == [0, 0, 0, 0, 1, 0, 0]  # a Friday
    assert Z[1, 3:].tolist() == [1, 0, 0, 0, 0, 0, 0]  # a Monday
    assert Features(log=True, weekday=True).extra_inputs == 7 and str(Features(weekday=True)) == " +weekday"


def test_test_start_after_book_end_tests_to_the_series_end():
    s = series(np.ones(2000), "2016-12-01")
    sp = choose_split(s, test_start="2021-06-01")
    assert sp.test_end == s.end and sp.train_end == pd.Timestamp("2021-05-31")
