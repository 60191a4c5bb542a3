import pandas as pd
import pytest

from viewcast.data import builtin as datasets
from viewcast.errors import DataError


def test_21_builtin_series_and_default():
    names = datasets.names()
    assert len(names) == 21 and datasets.DEFAULT in names
    s = datasets.load(datasets.DEFAULT)
    assert s.index[0] == pd.Timestamp("2017-01-01") and s.index[-1] == pd.Timestamp("2024-11-08")
    assert len(s) == 2869 and s.notna().all()


def test_hash_mismatch_is_a_clear_error(tmp_path):
    f = tmp_path / "holidays.zip"
    f.write_bytes(b"not the file")
    with pytest.raises(DataError, match="sha256"):
        datasets.check_hash(f)
    datasets.check_hash(datasets.data_file())  # the shipped file passes
