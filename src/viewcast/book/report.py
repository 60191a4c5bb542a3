"""What the report shows, computed once here: the ladder (tables A/B/C, the test-day predictions, the
training curves), the error surface of linear:1 with gradient descent, chapter 2's diagnosis (validation
losses and curves, the worst days) and the honest forecast. The page (`viewcast.report`) only renders
these results; nothing is trained while it is written.

A series too short for part of the story still gets the parts that fit: each rung that lacks the
training days is left out of the ladder (with how many days it needs), and a part the library refuses
is left out with its reason. `ReportData.left_out` lists them; the page says so plainly.

>>> short = vc.load_series(s.to_pandas().iloc[:150])  # 135 training days: too few for 56 days of input
>>> d = collect(short, config=ReportConfig(epochs=5, days=2, grid=10, forecast_models=("linear:7",)))
>>> list(d.ladder.fits), [(x.part, x.need) for x in d.left_out], d.forecast is not None
(['linear:1', 'linear:7', 'linear:28'], [('rungs', 170)], True)
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..diagnosis.config import DiagnoseConfig
from ..errors import ViewcastError
from ..evaluate.validation import parse_scheme
from ..features import Split, choose_split, prepare, prepare_all
from ..features.prepare import min_training_days
from ..forecasting.selector import Selector
from ..surface.surface import SurfaceConfig
from ..train.config import TrainConfig
from . import ladder as book_ladder
from .ladder import LadderResult

if TYPE_CHECKING:  # the engine loads when the report trains: `viewcast report --help` needs no torch
    from ..diagnosis import Diagnosis
    from ..forecasting import ForecastResult
    from ..surface import SurfaceResult

LINEAR_KS = (1, 7, 28, 56)  # the book's windows (table A); every network of the ladder takes 56 days
DIAGNOSIS_SCHEME = "holdout:0.1"  # chapter 2's validation: the last 10% of the training days


# Each part's share of a report's work, in passes of the ladder (one network per rung), for the ETA: the
# diagnosis trains every rung once more, the forecast of one series and the surface take seconds.
COST = {"surface": 0.05, "diagnosis": 1.0, "forecast": 0.3}


@dataclass(frozen=True)
class ReportConfig:
    days: int = 14  # days forecast after the series ends: two weeks show the weekly cycle
    epochs: int | None = None  # training updates per model; None: the default recipe's (TrainConfig.epochs)
    grid: int = 80  # error-surface points per axis: 2 losses × 80² numbers keep the page small
    forecast_models: tuple[str, ...] | None = None  # None: the forecast's own candidates, shortened to fit
    seed: int = 0  # every model's initial weights: same seed, same report
    seeds: int = book_ladder.SEEDS  # networks per rung of the ladder: its story claims an order only past their spread
    quick: bool = False  # one network per rung and the forecast's quick selector (Selector.QUICK): a few times faster

    def train_config(self) -> TrainConfig:
        cfg = TrainConfig(seed=self.seed)
        return cfg if self.epochs is None else cfg.but(epochs=self.epochs)

    @property
    def draft(self) -> bool:
        """Fewer training updates than the default recipe's: verdicts, intervals and the story are a draft."""
        return self.epochs is not None and self.epochs < self.default_epochs

    @property
    def default_epochs(self) -> int:
        """The default recipe's training updates per model (what a draft has fewer of)."""
        return TrainConfig.epochs

    @property
    def ladder_seeds(self) -> int:
        return 1 if self.quick else self.seeds

    def selector(self, ks: list[int]) -> Selector:
        """The forecast's selector, its candidates' windows no longer than the series has days for."""
        base = Selector.QUICK if self.quick else Selector.DEFAULT
        return base.but(models=tuple(self.forecast_models or _forecast_models(ks, base)))

    def shares(self) -> dict[str, tuple[float, float]]:
        """Each part's (start, width) in the whole report's work, in order: what the ETA reads."""
        cost = {"ladder": float(self.ladder_seeds), **COST}
        total, start, out = sum(cost.values()), 0.0, {}
        for part in ("ladder", "surface", "diagnosis", "forecast"):
            out[part] = (start / total, cost[part] / total)
            start += cost[part]
        return out


@dataclass(frozen=True)
class LeftOut:
    """A part of the story the series could not have, and why (a message key and its fields, so the
    page can say it in any language)."""

    part: str  # rungs (of the ladder; all of them: no ladder, surface or diagnosis) | ladder | surface | diagnosis | forecast
    reason: str  # "window": too few training days for some rungs; "error": the library refused (`detail`)
    models: tuple[str, ...] = ()
    have: int = 0  # training days
    need: int = 0  # training days the smallest left-out window needs
    detail: str = ""  # the library's one-line error


@dataclass
class ReportData:
    series: DailySeries
    split: Split
    config: ReportConfig
    ladder: LadderResult | None = None
    test_dates: pd.DatetimeIndex | None = None  # (m,) the test days, the same for every rung
    test_actual: np.ndarray | None = None  # (m,) views
    predictions: dict[str, np.ndarray] = field(default_factory=dict)  # spec → (m,) views on the test days
    surface: SurfaceResult | None = None
    diagnosis: Diagnosis | None = None
    forecast: ForecastResult | None = None
    left_out: list[LeftOut] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def best_network(self) -> str | None:
        """The network validation prefers (the diagnosis' lowest validation loss): the test days never choose."""
        if self.diagnosis is None:
            return None
        L = self.diagnosis.config.loss
        nets = [m for m in self.diagnosis.models if models.parse(m.spec).kind != "linear"]
        return min(nets, key=lambda m: m.val[L]).spec if nets else None

    @property
    def longest_linear(self) -> str | None:
        ks = [models.parse(s).k for s in (self.ladder.fits if self.ladder else {}) if s.startswith("linear:")]
        return f"linear:{max(ks)}" if ks else None

    def weekday_means(self) -> np.ndarray:
        """(7,) the training days' mean views Monday … Sunday."""
        ps = self.series.to_pandas()
        ps = ps[(ps.index >= self.split.train_start) & (ps.index <= self.split.train_end)]
        return ps.groupby(ps.index.day_of_week).mean().reindex(range(7)).to_numpy()

    def prediction_specs(self) -> list[str]:
        """The rungs whose test-day predictions are shown: linear:1 (the lag), the longest linear model and
        the network validation prefers — those trained."""
        want = ["linear:1", self.longest_linear, self.best_network]
        return [s for s in dict.fromkeys(want) if s is not None and s in self.predictions]

    def curve_specs(self) -> list[str]:
        """The rungs whose learning curves are shown: the longest linear model, the network validation
        prefers and the most flexible network."""
        ms = self.diagnosis.models
        nets = [m for m in ms if models.parse(m.spec).kind != "linear"]
        big = max(nets, key=lambda m: (models.parse(m.spec).layers, m.params)).spec if nets else None
        lin = [m.spec for m in ms if m.spec.startswith("linear:")]
        want = [lin[-1] if lin else None, self.best_network, big]
        return [s for s in dict.fromkeys(want) if s is not None]


def training_days(series: DailySeries, split: Split) -> int:
    return (split.train_end - max(split.train_start, series.start)).days + 1


def fitting_windows(series: DailySeries, split: Split) -> list[int]:
    """The book's windows k whose k-day models the training period has enough days for."""
    ok = []
    for k in LINEAR_KS:
        try:
            prepare(series, k, split)
        except ViewcastError:
            continue
        ok.append(k)
    return ok


def collect(series: DailySeries, split: Split | None = None, config: ReportConfig = ReportConfig(),
            on_model: Callable | None = None, progress: Callable | None = None,
            on_part: Callable[[str, float, float], None] | None = None) -> ReportData:
    """Run the library once for every part of the report that the series has the days for;
    `on_part(name, start, width)` as each part starts (its share of the whole work, for an ETA)."""
    from ..diagnosis import diagnose
    from ..forecasting import forecast
    from ..surface import error_surface

    split = split or choose_split(series)
    d = ReportData(series, split, config)
    cfg = config.train_config()
    ks = fitting_windows(series, split)
    rungs = [s for s in book_ladder.specs() if models.parse(s).k in ks]
    missing = [s for s in book_ladder.specs() if s not in rungs]
    if missing:
        short = min(models.parse(s).k for s in missing)
        d.left_out.append(LeftOut("rungs", "window", tuple(missing), training_days(series, split),
                                  min_training_days(short) + short))
    shares = config.shares()

    def part(name: str) -> None:
        if on_part:
            on_part(name, *shares[name])

    if ks:  # else not even yesterday → today fits: no ladder, surface or diagnosis (the rungs' entry says why)
        part("ladder")
        _timed(d, "ladder", lambda: _ladder(d, rungs, cfg, config.ladder_seeds, on_model, progress))
        part("surface")
        _timed(d, "surface", lambda: setattr(d, "surface", error_surface(series, split, SurfaceConfig(grid=config.grid))))
        part("diagnosis")
        _timed(d, "diagnosis", lambda: setattr(d, "diagnosis", diagnose(
            series, split, rungs, parse_scheme(DIAGNOSIS_SCHEME), cfg, DiagnoseConfig(seed=cfg.seed), on_model,
            progress)))
    part("forecast")
    _timed(d, "forecast", lambda: setattr(d, "forecast", forecast(
        series, config.days, config.selector(ks), cfg, on_model=on_model, progress=progress)))
    return d


def _ladder(d: ReportData, rungs: list[str], cfg: TrainConfig, seeds: int, on_model, progress) -> None:
    d.ladder = book_ladder.run(d.series, d.split, cfg, on_model, progress, only=rungs, seeds=seeds)
    if d.ladder.interrupted is not None:  # Ctrl-C stopped a rung: the user wants out, not more training
        raise KeyboardInterrupt
    ks = sorted({models.parse(s).k for s in d.ladder.fits})
    prepared = prepare_all(d.series, ks, d.split, cfg.normalize)  # the very windows the ladder was scored on
    test = prepared[ks[0]].test
    d.test_dates, d.test_actual = test.dates, test.y
    d.predictions = {s: f.predict(prepared[f.k].test.X) for s, f in d.ladder.fits.items()}


def _forecast_models(ks: list[int], selector: Selector = Selector.DEFAULT) -> tuple[str, ...]:
    """The forecast's candidates with the longest window the series has."""
    if not ks:  # the smallest model: the forecast's own error then says how many days it needs
        return ("linear:1",)
    models = selector.models
    return tuple(dict.fromkeys(m if int(m.split(":")[1].split("x")[0]) <= ks[-1]
                               else m.replace(m.split(":")[1].split("x")[0], str(ks[-1]), 1) for m in models))


def _timed(d: ReportData, part: str, run: Callable[[], None]) -> None:
    """Run one part; a part the library refuses for this series is left out with the library's reason."""
    t = time.perf_counter()
    try:
        run()
    except ViewcastError as e:
        d.left_out.append(LeftOut(part, "error", detail=str(e)))
    d.seconds[part] = time.perf_counter() - t


def collect_many(series: Iterable[DailySeries], split_of: Callable[[DailySeries], Split] | None = None,
                 config: ReportConfig = ReportConfig(), on_model: Callable | None = None,
                 progress: Callable | None = None,
                 on_part: Callable[[str, float, float], None] | None = None) -> Iterator[ReportData | dict]:
    """`collect` for each series in turn, yielded as it finishes (a site's pages are written one by one);
    a series the library refuses is yielded as {"series", "reason"}. Its parts are reported as
    "NAME (i/n) · part", each series an equal share of the whole."""
    items = list(series)
    for i, s in enumerate(items):
        def part(name: str, start: float, width: float, i=i, s=s) -> None:
            if on_part:
                on_part(f"{s.name} ({i + 1}/{len(items)}) · {name}", (i + start) / len(items), width / len(items))

        try:
            yield collect(s, split_of(s) if split_of else None, config, on_model, progress, part)
        except ViewcastError as e:
            yield {"series": s.name, "reason": str(e)}


def collect_source(data, *, split_of: Callable | None = None, config: ReportConfig | None = None,
                   on_model: Callable | None = None, progress: Callable | None = None,
                   on_part: Callable | None = None, **load) -> Iterator[ReportData | dict]:
    """`collect` for each series of `data` (a pattern, a folder or glob of CSVs, `column="*"`; `load`:
    `load_many`'s options), yielded one at a time; a series that cannot be read or reported is yielded as
    {"series", "reason"}."""
    from ..data.many import load_many

    got = load_many(data, **load)
    yield from got.skipped
    yield from collect_many(got.series, split_of, config or ReportConfig(), on_model, progress, on_part)
