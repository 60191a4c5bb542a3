"""Bad files, bad settings, interrupted runs. Every bad input either loads correctly or
is refused with one DataError line naming the file and line; nothing else ever escapes.
docs/bad_inputs.md lists each input with the test that backs it."""
import json
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, example
from hypothesis import strategies as st

from viewcast.data import load_series
from viewcast.errors import DataError
from viewcast.data.series import DailySeries

from conftest import daily_csv


def load(write_csv, text, encoding="utf-8", **kw):
    return load_series(str(write_csv(text, encoding=encoding)), **kw)


def one_line_error(write_csv, text, match, encoding="utf-8", **kw):
    with pytest.raises(DataError, match=match) as e:
        load(write_csv, text, encoding, **kw)
    assert "\n" not in str(e.value) and "x.csv" in str(e.value)
    return str(e.value)


# ------------------------------------------------------------------ files as they come: loads


@pytest.mark.parametrize("text,encoding,expected", [
    ("\ufeffdate,value\n2021-01-01,1\n2021-01-02,2\n", "utf-8", [1, 2]),                      # UTF-8 with BOM
    ("日期,播放量\n2021-01-01,1\n2021-01-02,2\n", "gbk", [1, 2]),                               # GBK, Chinese header
    ("日期,播放量\n2021-01-01,1\n2021-01-02,2\n", "gb18030", [1, 2]),
    ("date,value\n2021-01-01,1\n2021-01-02,2\n", "utf-16", [1, 2]),                            # Excel "Unicode text"
    ("date;value\n2021-01-01;1\n2021-01-02;2\n", "utf-8", [1, 2]),                             # ; separator
    ("date\tvalue\n2021-01-01\t1\n2021-01-02\t2\n", "utf-8", [1, 2]),                          # tab separator
    ('date,value\n2021-01-01,"1,234"\n2021-01-02,"12,345,678"\n', "utf-8", [1234, 12345678]),  # quoted thousands
    ("date;value\n2021-01-01;1 234\n2021-01-02;1\u00a0234\n", "utf-8", [1234, 1234]),         # space thousands
    ("date,value\r\n2021-01-01,1\r\n2021-01-02,2\r\n", "utf-8", [1, 2]),                       # Windows line ends
    ("\n\ndate,value\n\n2021-01-01,1\n\n\n2021-01-02,2\n\n", "utf-8", [1, 2]),                # blank lines
    ("Date,Views\n2021-01-01,1\n2021-01-02,2\nTotal,3\n", "utf-8", [1, 2]),                   # trailing Total row
    ("date,value\n2021-01-01, 1 \n2021-01-02 ,2\n", "utf-8", [1, 2]),                          # stray spaces
])
def test_files_as_they_come_load(write_csv, text, encoding, expected):
    s = load(write_csv, text, encoding)
    assert s.values.tolist() == expected and s.start == pd.Timestamp("2021-01-01")


@pytest.mark.parametrize("dates", [
    ["2021/2/26", "2021/2/27"], ["26.02.2021", "27.02.2021"], ["20210226", "20210227"],
    ["2021-02-26T00:00:00+08:00", "2021-02-27T00:00:00+08:00"],  # the local date counts, not UTC's
    ["2021-02-26T23:30:00-05:00", "2021-02-27T23:30:00-05:00"],
    ["2021-02-26 10:00:00+01:00", "2021-02-27 10:00:00+02:00"],  # offsets change (summer time)
    ["2021-02-26T09:00:00Z", "2021-02-27T09:00:00Z"],
    ["2021-02-26 00:00:00", "2021-02-27 00:00:00"],
])
def test_date_formats_one_value_per_day(write_csv, dates):
    s = load(write_csv, "date,value\n" + "".join(f"{d},{i + 1}\n" for i, d in enumerate(dates)))
    assert s.start == pd.Timestamp("2021-02-26") and s.values.tolist() == [1, 2]


def test_finer_than_a_day_is_summed_and_said(write_csv):
    s = load(write_csv, "time,views\n2021-02-26T01:00:00+08:00,1\n2021-02-26T23:00:00+08:00,2\n2021-02-27T12:00:00+08:00,5\n")
    assert s.values.tolist() == [3, 5] and s.start == pd.Timestamp("2021-02-26")
    assert any("summed to 2 daily totals" in n for n in s.notes)


def test_empty_cells_and_nan_are_missing_days_refused_until_fill(write_csv):
    from viewcast.features import choose_split, prepare
    text = daily_csv([1, "", 3, "NaN", 5, "null", 7, "-"] + list(range(9, 40)))
    s = load(write_csv, text)
    assert np.isnan(s.values[[1, 3, 5, 7]]).all() and "4 missing days in 4 gaps" in s.describe_gaps()
    with pytest.raises(DataError, match="fill='zero'"):
        prepare(s, 2, choose_split(s))
    assert load(write_csv, text, fill="interpolate").values[:4].tolist() == [1, 2, 3, 4]


def test_huge_values_load_and_train_to_finite_numbers(write_csv):
    from viewcast.train import TrainConfig, fit
    from viewcast.features import choose_split, prepare
    rng = np.random.default_rng(0)
    s = load(write_csv, daily_csv((1e15 * (1 + 0.1 * rng.random(120))).tolist()))
    r = fit("linear:7", prepare(s, 7, choose_split(s)), TrainConfig(epochs=50))
    assert np.isfinite(r.train["mae"]) and np.isfinite(r.test["mse"]) and not r.stop_reason.startswith("diverged")


# ------------------------------------------------------------------ files as they come: refusals


@pytest.mark.parametrize("text,match", [
    ("date,value\n2021-01-01,1\n2021-01-02,inf\n", r"x.csv:3: 'inf' in column 'value' is not a finite number"),
    ("date,value\n2021-01-01,1\n2021-01-02,-Infinity\n", r"x.csv:3: negative count -Infinity|x.csv:3: '-Infinity'"),
    ("date,value\n2021-01-01,1\n2021-01-02,1e39\n", r"x.csv:3: 1e39 in column 'value' is too large to train on"),
    ("date,value\n2021-01-01,1\n2021-01-02,1e400\n", r"x.csv:3: 1e400 in column 'value' is too large"),
    ("date;value\n2021-01-01;1234,5\n", r"x.csv:2: '1234,5' in column 'value' is not a number \(a decimal comma"),
    ("date,value\n2021-01-01,1\n2021-01-02,1,234\n", r"x.csv:3: 3 fields where the header has 2"),
    ("date,value\n2021-01-01,1,234\n2021-01-02,1\n", r"x.csv:2: more fields than the header's 2"),
    ("date,value\n2021-01-01,1\n\n2021-01-02,x\n", r"x.csv:4: 'x' in column 'value' is not a number"),
    ("date,value\n2021-01-01,1\n2021-01-02,2\nGenerated by Studio\n", r"x.csv:4: cannot read 'Generated by Studio'"),
    ("date,value\n2021-01-01,1\n,2\n", r"x.csv:3: empty date in column 'date'"),
    ("date,value\n2021-01-01,1\n3000-01-01,2\n", r"x.csv:3: .*years before 1678 or after 2261"),
    ('date,value\n2021-01-01,"1\n2021-01-02,2\n', r"x.csv: a quote .* is opened and never closed"),
    ("Date,Views\nTotal,3\n", r"no data rows"),
])
def test_bad_cells_one_line_with_the_line_number(write_csv, text, match):
    one_line_error(write_csv, text, match)


def test_undecodable_names_the_line_and_encoding(write_csv):
    p = write_csv("x")
    p.write_bytes("date,value\n2021-01-01,1\n".encode() + b"\xff\xfe\xfa\xfb,2\n")
    with pytest.raises(DataError, match=r"x.csv:3: cannot be decoded as utf-8-sig or gb18030.*encoding="):
        load_series(str(p))
    with pytest.raises(DataError, match="unknown encoding"):
        load_series(str(p), encoding="no-such-codec")


def test_gbk_file_with_explicit_encoding(write_csv):
    s = load_series(str(write_csv("日期,播放量\n2021-01-01,1\n", encoding="gbk")), encoding="gbk")
    assert s.name == "x.csv:播放量" and s.values.tolist() == [1]


def test_directory_binary_missing_unreadable(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="is a directory"):
        load_series(str(tmp_path))
    with pytest.raises(DataError, match="no such file"):
        load_series(str(tmp_path / "none.csv"))
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DataError, match="looks like a binary file"):
        load_series(str(png))
    (tmp_path / "empty.csv").write_bytes(b"  \n\n")
    with pytest.raises(DataError, match="the file is empty"):
        load_series(str(tmp_path / "empty.csv"))
    locked = tmp_path / "locked.csv"
    locked.write_text("date,value\n2021-01-01,1\n")
    if os.geteuid() == 0:  # root reads anything: make open() fail as it does for other users
        import builtins
        real_open = builtins.open
        monkeypatch.setattr(builtins, "open", lambda f, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                            if str(f) == str(locked) else real_open(f, *a, **k))
    else:
        locked.chmod(0)
    with pytest.raises(DataError, match=r"locked.csv: cannot be read \(Permission denied\); check its permissions"):
        load_series(str(locked))


# ------------------------------------------------------------------ random malformed CSVs

CELLS = st.one_of(
    st.sampled_from(["2021-01-01", "2021/2/26", "26.02.2021", "20210226", "2021-02-26T10:00:00+08:00", "Total",
                     "1", "1,234", "1 234", "-5", "inf", "NaN", "", "nan", "1e400", "1e39", '"', '""', "x", "合计",
                     "0", "3.5", "2262-01-01", "1677-01-01", "\t", " ", ";", "日期"]),
    st.text(max_size=8),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def malformed_csv(draw):
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(["date", "value", "ds", "y", "Page", "日期", "播放量", "", "id", "x"])
                           | st.text(max_size=6), min_size=1, max_size=4))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=12))
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = text.encode(enc, errors="replace")
    if draw(st.booleans()):  # damage a few bytes
        pos = draw(st.lists(st.integers(0, max(len(data) - 1, 0)), max_size=3))
        b = bytearray(data)
        for p in pos:
            if b:
                b[p] = draw(st.integers(0, 255))
        data = bytes(b)
    return data


@settings(max_examples=int(os.environ.get("VIEWCAST_FUZZ", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=malformed_csv())
@example(data=b'"0\n2021-01-01,"')  # a quoted header name with a line break in it: still one line
def test_random_malformed_csv_loads_or_says_why(tmp_path, data):
    p = tmp_path / "fuzz.csv"
    p.write_bytes(data)
    try:
        s = load_series(str(p))
    except DataError as e:
        assert "\n" not in str(e) and str(e).strip()
    else:
        assert isinstance(s, DailySeries) and len(s) >= 1
        ok = s.values[~np.isnan(s.values)]
        assert np.isfinite(ok).all()
        assert (ok >= 0).all() or any("negative value" in n for n in s.notes)  # negatives load, with a note


# ------------------------------------------------------------------ training faults

from typer.testing import CliRunner  # noqa: E402

from viewcast import store  # noqa: E402
from viewcast.cli import app  # noqa: E402
from viewcast.train import TrainConfig, fit  # noqa: E402
from viewcast.features import choose_split, prepare  # noqa: E402

from conftest import weekly_series  # noqa: E402

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def weekly():
    s = DailySeries("weekly", weekly_series(300), pd.Timestamp("2020-01-01"))
    return s, prepare(s, 7, choose_split(s))


def test_divergence_stops_at_the_update_and_keeps_good_weights(weekly):
    _, data = weekly
    r = fit("linear:7", data, TrainConfig(optimizer="gd", loss="mse", lr=1e3, epochs=200, schedule="constant"))
    assert r.stop_reason.startswith("diverged at update ") and "try a smaller learning rate than 1000" in r.stop_reason
    assert 0 < r.updates < 200
    assert all(torch_finite(p) for p in r.model.parameters())
    assert np.isfinite(r.train["mae"]) and np.isfinite(r.test["mae"])


def torch_finite(p) -> bool:
    import torch
    return bool(torch.isfinite(p).all())


def ctrl_c_at_5(done, total, loss):
    if done == 5:
        raise KeyboardInterrupt


def test_ctrl_c_during_fit_raises_in_python(weekly):
    """A half-trained model never comes back from a Python call looking finished."""
    _, data = weekly
    with pytest.raises(KeyboardInterrupt):
        fit("relu:7x8", data, TrainConfig(epochs=100), progress=ctrl_c_at_5)


def test_ctrl_c_during_fit_keeps_what_was_finished_where_the_cli_asks(weekly):
    from viewcast.train.interrupt import keep_partial_on_interrupt

    _, data = weekly
    with keep_partial_on_interrupt():
        r = fit("relu:7x8", data, TrainConfig(epochs=100), progress=ctrl_c_at_5)
    assert r.interrupted and r.stop_reason == "interrupted at update 5" and r.updates == 5
    assert len(r.history.train) == 5 and np.isfinite(r.test["mae"])


def test_sigint_during_vc_fit_raises_keyboard_interrupt(weekly):
    """A real SIGINT (Ctrl-C in a terminal, "interrupt kernel" in Jupyter) sent from another thread
    while vc.fit trains: KeyboardInterrupt reaches the caller, and torch's thread count is given back."""
    import signal
    import threading

    import torch
    import viewcast as vc

    s, _ = weekly
    timer = []

    def sigint_soon(done, total, loss):  # training has started: the signal comes in the middle of it
        if not timer:
            timer.append(threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)))
            timer[0].start()

    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    threads = torch.get_num_threads()
    try:
        with pytest.raises(KeyboardInterrupt):
            vc.fit(s, "relu:7x32x2", epochs=500_000, ensemble=2, progress=sigint_soon)
    finally:
        if timer:
            timer[0].join()
        signal.signal(signal.SIGINT, handler)
    assert timer and torch.get_num_threads() == threads


def test_cli_ctrl_c_saves_marked_interrupted_and_exits_130(tmp_path, monkeypatch):
    import viewcast.api as api_mod
    real = api_mod.train_fit

    def interrupted_fit(*a, **k):
        def ctrl_c(done, total, loss):
            if done == 3:
                raise KeyboardInterrupt
        return real(*a, **{**k, "progress": ctrl_c})

    monkeypatch.setattr(api_mod, "train_fit", interrupted_fit)
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(200)))
    r = cli("fit", csv, "--model", "linear:7", "--json", "--save", tmp_path / "m.safetensors")
    assert r.exit_code == 130, r.output
    d = json.loads(r.stdout)
    assert d["interrupted"] and d["stop_reason"] == "interrupted at update 3"
    _, meta = store.load(tmp_path / "m.safetensors")
    assert meta["interrupted"] is True and meta["updates"] == 3
    assert sorted(os.listdir(tmp_path)) == ["m.safetensors", "v.csv"]  # nothing half-written beside it


def test_cli_ctrl_c_while_loading_exits_130_one_line(tmp_path, monkeypatch):
    import viewcast.data as data_mod

    def ctrl_c(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(data_mod, "load_series", ctrl_c)
    for args in (("fit",), ("data", "show"), ("ladder",)):
        r = cli(*args)
        assert r.exit_code == 130 and r.stderr.strip() == "interrupted" and "Traceback" not in r.output


@pytest.mark.parametrize("args,needle", [
    (("--model", "linear:56"), "needs at least"),                                    # window longer than training
    (("--train-start", "2020-02-01", "--test-start", "2020-01-20"), "must start after"),  # test before training
    (("--train-end", "2020-02-10", "--test-start", "2020-02-01", "--test-end", "2020-02-20"), "must start after the training period ends"),
    (("--lr", "0"), "learning rate must be a positive number"),
    (("--lr", "nan"), "learning rate must be a positive number"),
    (("--epochs", "-3"), "must be at least 1"),
    (("--epochs", "0"), "must be at least 1"),
    (("--batch-size", "0"), "must be at least 1"),
    (("--seed", "-1"), "must be a whole number from 0 to 4294967295"),
    (("--seed", "4294967296"), "must be a whole number from 0 to 4294967295"),
    (("--test-start", "2030-01-01", "--test-end", "2030-02-01"), "after the series ends"),
    (("--train-start", "soon"), "not a date"),
])
def test_inconsistent_options_refused_up_front(tmp_path, args, needle):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(60)))
    r = cli("fit", csv, "--model", "linear:7", *args) if "--model" not in args else cli("fit", csv, *args)
    assert r.exit_code == 2 and needle in r.stderr, r.output
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


# ------------------------------------------------------------------ determinism


def test_same_command_same_seed_bit_identical(tmp_path):
    from safetensors.numpy import load_file
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(300)))

    def run(seed, name):
        r = cli("fit", csv, "--model", "relu:7x8x2", "--optimizer", "sgd", "--batch-size", "32", "--epochs", "20",
                "--seed", seed, "--json", "--save", tmp_path / name)
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        for k in ("seconds", "saved"):
            d.pop(k)
        return d, load_file(tmp_path / name)

    a, wa = run(0, "a.safetensors")
    b, wb = run(0, "b.safetensors")
    c, wc = run(1, "c.safetensors")
    assert a == b  # every number, exactly
    assert wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) and wa[k].tobytes() == wb[k].tobytes() for k in wa)
    assert a["train"] != c["train"] and any(not np.array_equal(wa[k], wc[k]) for k in wa)


# ------------------------------------------------------------------ beyond the sample, across chunks


@pytest.fixture
def small_chunks(monkeypatch):
    from viewcast.data import text as csvread
    monkeypatch.setattr(csvread, "CHUNK_ROWS", 97)  # many chunks, boundaries inside days


def test_chunks_agree_with_one_read_and_keep_line_numbers(write_csv, small_chunks):
    stamps = pd.date_range("2021-01-01", periods=3000, freq="h")
    rows = [f"{t:%Y-%m-%d %H:%M},{i % 50}" for i, t in enumerate(stamps)]
    rows[1500], rows[1501] = rows[1501], rows[1500]  # one pair out of order, in a later chunk
    s = load(write_csv, "time,views\n" + "\n".join(rows) + "\n")
    expect = pd.Series([i % 50 for i in range(3000)], index=stamps).groupby(stamps.normalize()).sum()
    assert s.values.tolist() == expect.tolist() and "rows were out of order: sorted by date" in s.notes
    rows[2500] = "2021-04-15 05:00,lots"
    one_line_error(write_csv, "time,views\n\n" + "\n".join(rows) + "\n", r"x.csv:2503: 'lots' in column 'views' is not a number")
    rows[2500] = '2021-04-15 05:00,"1,234"'  # the fast path gives way to the careful one, which reads it
    assert load(write_csv, "time,views\n" + "\n".join(rows) + "\n").values.max() >= 1234
    rows[2600] = "2021-04-19 09:00,5,6"
    one_line_error(write_csv, "time,views\n" + "\n".join(rows) + "\n", r"x.csv:2602: 3 fields where the header has 2")


def test_long_format_key_beyond_the_sample(write_csv, small_chunks):
    days = pd.date_range("2019-01-01", periods=1000)
    text = "Page,date,value\n" + "".join(f"{p},{d:%Y-%m-%d},{i + k}\n" for k, p in enumerate(["a_en", "b_en", "c_en"])
                                         for i, d in enumerate(days))
    with pytest.raises(DataError, match=r"long format with 3 series in column 'Page' \(a_en, b_en, c_en"):
        load(write_csv, text)
    s = load(write_csv, text, column="c")  # only in rows 2001…3000, past the 2,000-row sample
    assert s.name == "x.csv:c_en" and len(s) == 1000 and s.values[:2].tolist() == [2, 3]


def test_ladder_ctrl_c_shows_what_was_finished_and_exits_130(monkeypatch):
    import viewcast.book.ladder as ladder_mod

    real = ladder_mod.fit
    calls = {"n": 0}

    def fit_then_ctrl_c(spec, data, config, progress=None, **kw):
        calls["n"] += 1
        if calls["n"] < 3:
            return real(spec, data, TrainConfig(epochs=5), **kw)

        def ctrl_c(done, total, loss):
            raise KeyboardInterrupt

        return real(spec, data, TrainConfig(epochs=5), progress=ctrl_c, **kw)

    monkeypatch.setattr(ladder_mod, "fit", fit_then_ctrl_c)
    r = cli("ladder", "--json", "--epochs", "5")  # the other seeds' runs too
    assert r.exit_code == 130
    d = json.loads(r.stdout)
    assert d["interrupted"] is True
    assert [row["model"] for row in d["rows"]][:2] == ["linear:1", "linear:7"]
    assert "2 of 13 models were finished" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_cv_ctrl_c_lists_the_finished_candidates_and_exits_130(monkeypatch, tmp_path):
    import viewcast.evaluate.candidates as cand_mod

    real = cand_mod.train_members
    calls = {"n": 0}

    def members_then_ctrl_c(spec, members, config, chunk=None, progress=None, *a, **kw):
        calls["n"] += 1
        if calls["n"] < 2:
            return real(spec, members, config, chunk, None, *a, **kw)

        def ctrl_c(done, total, loss):
            raise KeyboardInterrupt

        return real(spec, members, config, chunk, ctrl_c, *a, **kw)

    monkeypatch.setattr(cand_mod, "train_members", members_then_ctrl_c)
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(300)))
    r = cli("cv", csv, "--models", "linear:7,linear:14,linear:28", "--epochs", "5", "--json", "--no-plots")
    assert r.exit_code == 130
    d = json.loads(r.stdout)
    assert d["interrupted"] and [x["model"] for x in d["finished"]] == ["linear:7"] and d["total"] == 3
    assert "1 of 3 candidates were validated" in r.stderr
    assert not (tmp_path / "viewcast-out").exists()


def test_forecast_ctrl_c_while_refitting_prints_no_forecast_and_exits_130(tmp_path, monkeypatch):
    """A forecast from a half-trained refit means nothing: Ctrl-C there stops the command (it printed
    a forecast and exited 0)."""
    import importlib

    fc = importlib.import_module("viewcast.forecasting.forecast")
    real = fc.run_candidate

    def ctrl_c_in_refit(*a, **k):
        def ctrl_c(done, total, loss):
            raise KeyboardInterrupt
        return real(*a, **{**k, "progress": ctrl_c})

    monkeypatch.setattr(fc, "run_candidate", ctrl_c_in_refit)
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(300)))
    r = cli("forecast", csv, "--models", "linear:7", "--no-search", "--epochs", "20", "--json", "-o", tmp_path / "out")
    assert r.exit_code == 130 and r.stdout == "" and r.stderr.strip() == "interrupted"


def test_a_command_that_goes_on_after_a_run_was_cut_short_exits_130(tmp_path, monkeypatch):
    """Whatever a command does with a run that Ctrl-C cut short, its exit status says so: here `fit`
    is made blind to it (its result never says interrupted), and still exits 130."""
    import viewcast.api as api_mod
    from viewcast.train.fit import FitResult

    real = api_mod.train_fit
    monkeypatch.setattr(api_mod, "train_fit", lambda *a, **k: real(*a, **{**k, "progress": ctrl_c_at_5}))
    monkeypatch.setattr(FitResult, "interrupted", property(lambda self: False))
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(200)))
    r = cli("fit", csv, "--model", "relu:7x8", "--json")
    assert r.exit_code == 130 and json.loads(r.stdout)["stop"]["reason"] == "interrupted"
