"""The forecast as a table (terminal), and its files: a CSV and the chart (`figures.forecast_chart`) as
PNG and offline HTML."""
from __future__ import annotations

from pathlib import Path


from ...evaluate.rules import WEIGHTS_SAID
from ...io import write_atomic
from ...figures.forecast import forecast_chart
from ...figures.write import write_file
from ..outputs import Target
from ...text.fmt import num
from .tables import scale_of, table


def text(f) -> list:
    """The dated forecasts with intervals, what was chosen and on which days it was trained."""
    sc = scale_of(list(f.forecast))
    levels = sorted(f.lower)
    rows = [[f"{d:%Y-%m-%d}", f"{d:%a}", num(v, sc)] + [f"{num(f.lower[lv][i], sc)} … {num(f.upper[lv][i], sc)}"
                                                        for lv in levels]
            for i, (d, v) in enumerate(zip(f.dates, f.forecast))]
    out = table(f"forecast for {f.source} (the series ends {f.trained_through:%Y-%m-%d} {f.trained_through:%a})",
                [("date", "left"), ("day", "left"), ("views", "right")] + [(f"{lv}% interval", "right") for lv in levels],
                rows, keys=(0, 1))
    out += _how(f, sc)
    out += [f"note: {n}" for n in f.notes]
    return out


def write(f, targets: list[Target], lang: str | None = None) -> list[Path]:
    """The forecast's files -o named (checked before any work): the numbers as CSV, the chart as PNG or HTML."""
    chart = forecast_chart(f, lang, f.source) if any(t.suffix != ".csv" for t in targets) else None
    return [write_atomic(t.path, f.to_frame().to_csv(float_format="%.6g").encode()) if t.suffix == ".csv"
            else write_file(chart, t.path) for t in targets]
def _how(f, sc) -> list[str]:
    """How the forecast was made, in two sentences: what validation weighed, and where the intervals come from."""
    c, r = f.chosen, f.refit
    sel = f.selector
    nets = f" ({r.ensemble} networks each)" if r.ensemble > 1 else ""
    n = len(f.backtest.origins)
    where = (f"validation on the last {f.backtest.days:,} days, forecast by networks trained on the days before them"
             if n == 1 else f"validation on the last {f.backtest.days:,} days in {n} blocks, each forecast by networks "
             "trained on the days before it")
    if f.blend:
        weights = WEIGHTS_SAID.get(f.rule, "equally (within one paired standard error of the best)")
        names = ", ".join(f"{k.label} ({w:.0%}; {num(k.val_gmean, sc)})" for k, w in zip(f.blend, f.blend_weights))
        said = (f"The forecast is [bold]the weighted mean[/] of {names} — each weighs {weights} by {where} — "
                f"each refit on every day {r.split.train_start:%Y-%m-%d}…{f.trained_through:%Y-%m-%d}{nets}.")
    else:
        said = (f"Chosen by {where}: [bold]{c.label}[/] with validation MAE {num(c.val_mean, sc)}; refit on every day "
                f"{r.split.train_start:%Y-%m-%d}…{f.trained_through:%Y-%m-%d}{nets}, {r.updates:,} updates.")
    horizon = f.backtest.pred.shape[1] if f.backtest.pred.ndim == 2 else 1
    scale = "log" if f.calibration.log else "views"
    ahead = "1 day" if horizon == 1 else f"1…{horizon} days"
    cal = (f"Intervals: split conformal, from those blocks' forecasts {ahead} ahead of each of their "
           f"{f.backtest.days:,} days, on the {scale} scale.")
    return [said, cal] + ([] if sel is None or not sel.pooled or "global" not in c.label else
                          ["One network for all the series forecast together, each on its own scale."])

