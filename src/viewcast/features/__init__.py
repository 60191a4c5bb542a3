"""The one place series and tables become (X, y): windows (a table's rows), splits, scaling, prepare."""
from .prepare import Prepared, prepare, prepare_all
from .scaling import SEARCH, Features, Scaler, encode
from .table import SELECT_BY, Columns, RowSplit, TableScaler, best_features, prepare_table
from .split import BOOK_TEST, BOOK_TRAIN, Split, choose_split
from .windows import Windows, make_windows

__all__ = ["Prepared", "prepare", "prepare_all", "SEARCH", "Features", "Scaler", "encode", "BOOK_TEST",
           "BOOK_TRAIN", "Split", "choose_split", "Windows", "make_windows", "SELECT_BY", "Columns", "RowSplit",
           "TableScaler", "best_features", "prepare_table"]
