"""Choose a model by validation, never by the test set (chapter 2): the candidates' validation
losses (`candidates.py`), the choice, its refit on all training days, and the test period scored
once, for the chosen model — for one series or many at once.

>>> from viewcast.features import choose_split
>>> from viewcast.evaluate.validation import parse_scheme
>>> sel = select(s, choose_split(s), ["linear:7", "linear:14"], parse_scheme("kfold:3"), TrainConfig(epochs=100))
>>> [len(c.val_mae) for c in sel.candidates], sel.refit.spec == sel.chosen.spec
([3, 3], True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..features import Features, Prepared, Split, prepare_all
from ..features.scaling import offered, same_offer
from ..train import FitResult, TrainConfig
from ..train.fit import fit_many
from ..train.pooled import fit_global, scaled
from .candidates import Candidate, Interrupted, compare_many, evaluate_global, updates_chosen  # noqa: F401
from .rules import BLENDS, DEFAULT_RULE, blend_of, check_rule, choose, near_tie
from ..train.losses import scores
from ..errors import ViewcastError
from .validation import RANDOM_WARNING, Scheme


@dataclass
class Selection:
    source: str
    split: Split
    scheme: Scheme
    seeds: tuple[int, ...]
    candidates: list[Candidate]
    chosen: Candidate
    refit: FitResult  # the chosen spec refit on all training days; its .test is the one test loss
    data: Prepared
    config: TrainConfig
    ensemble: int = 1
    others_test: dict[str, float] | None = None  # only when asked; never used for choosing
    warnings: list[str] = field(default_factory=list)
    rule: str = DEFAULT_RULE  # how the candidates were chosen among (rules.choose)
    blend: list[Candidate] = field(default_factory=list)  # rules tie, soft, ratio: every candidate averaged (chosen first)
    blend_refits: list[FitResult] = field(default_factory=list)  # …each refit on all training days
    blend_data: list[Prepared] = field(default_factory=list)
    blend_weights: list[float] = field(default_factory=list)  # …its weight in the mean (rules.blend_of)

    @cached_property
    def test(self) -> dict:
        """The test period's MAE and MSE of what was chosen: the refit model, or the mean forecast of a
        blend (the weighted mean of its members' forecasts of the same days)."""
        if len(self.blend) < 2:
            return self.refit.test
        pred = np.average([r.predict(d.test.X, d.test.dates) for r, d in zip(self.blend_refits, self.blend_data)],
                          axis=0, weights=self.blend_weights)
        return scores(pred, self.data.test.y)

    @property
    def near_tie(self) -> dict | None:
        """The candidate validation cannot tell from the chosen one (within a paired standard error)."""
        return near_tie(self.chosen, self.candidates)

    def margins(self) -> list[dict]:
        """How far each candidate's validation loss is from the chosen one's (views, %, in fold SDs)."""
        c = self.chosen
        sd = c.val_std
        return [{"model": k.label, "val_mae": k.val_mean, "delta": k.val_mean - c.val_mean,
                 "delta_pct": 100 * (k.val_mean - c.val_mean) / c.val_mean,
                 "delta_sd": (k.val_mean - c.val_mean) / sd if sd > 0 else None}
                for k in self.candidates]

    @property
    def runner_up(self) -> dict | None:
        return min((m for m in self.margins() if m["model"] != self.chosen.label), key=lambda m: m["delta"], default=None)

    def as_dict(self) -> dict:
        """What `viewcast cv --json` prints (without the figure paths)."""
        margins = {m["model"]: m for m in self.margins()}
        rows = []
        for k in self.candidates:
            row = {**k.row(), **{x: margins[k.label][x] for x in ("delta", "delta_pct", "delta_sd")}}
            if self.others_test is not None and k is not self.chosen:
                row["test_mae"], row["test_used_for_choosing"] = self.others_test[k.label], False
            rows.append(row)
        c, r = self.chosen, self.refit
        return {
            "source": self.source, "split": self.split.describe(), "val": str(self.scheme), "seeds": list(self.seeds),
            "models": rows,
            "chosen": {"model": c.label, "spec": c.spec, "log": c.features.log, "weekday": c.features.weekday,
                       "ensemble": self.ensemble, "val_mae_mean": c.val_mean, "val_mae_std": c.val_std,
                       "train_mae": r.train["mae"], "test_mae": self.test["mae"], "test_mse": self.test["mse"],
                       "refit_updates": r.updates, "refit_stop_reason": r.stop_reason,
                       "blend": [{"model": k.label, "val_mae_mean": k.val_mean, "weight": w}
                                 for k, w in zip(self.blend, self.blend_weights)] or None},
            "runner_up": self.runner_up, "learning_curve": c.learning_curve(), "rule": self.rule,
            "near_tie": self.near_tie,
            "warnings": self.warnings, "config": self.config.as_dict(),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: validation MAE (mean, sd), training MAE, and which was chosen."""
        df = pd.DataFrame([{**k.row(), "chosen": k is self.chosen} for k in self.candidates]).set_index("model")
        return df.drop(columns=["val_mae_folds", "best_update"])

    def _repr_html_(self) -> str:
        return (f"<p>chosen by {self.scheme} validation: <b>{self.chosen.label}</b>; test MAE "
                f"{self.test['mae']:,.4g} (scored once)</p>" + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def select(series: DailySeries, split: Split, specs: list[str], scheme: Scheme, config: TrainConfig = TrainConfig(),
           seeds: tuple[int, ...] = (0,), show_test: bool = False,
           on_model: Callable[[str, int, int], None] | None = None, progress: Callable | None = None,
           features: tuple[Features, ...] = (Features(),), ensemble: int = 1, rule: str = DEFAULT_RULE) -> Selection:
    """Validate every spec × features on the training period, choose by validation, refit the choice
    on all training days (an average of `ensemble` seeds), and score the test period once, for the
    chosen model only (others only if asked). Nothing after the training period is seen before the
    choice is made."""
    return select_many([series], [split], specs, scheme, config, seeds, show_test, on_model, progress, features,
                       ensemble, rule=rule)[0]


def global_config(config: TrainConfig, base: TrainConfig | None, rows: int) -> TrainConfig:
    """What a global candidate of `rows` training rows trains with: the global recipe of `base` (the config
    given) where it scales, early-stopped as `config`'s per-series candidates are (a like-for-like choice
    between them), else `config` (cv's recipe, or the options given).

    >>> from viewcast.train.config import for_validation
    >>> plain = TrainConfig(seed=1)
    >>> g = global_config(for_validation(plain), plain, 60_000)                # many rows: the global recipe
    >>> g.batch_size, g.early_stop
    (2048, 40)
    >>> global_config(for_validation(plain), plain, 1_000).batch_size          # one batch's rows: cv's recipe
    256
    >>> given = TrainConfig(lr=0.02, batch_size=256, epochs=35, early_stop=40)  # typed: kept as it is
    >>> global_config(given, given, 60_000) == given
    True
    """
    g = scaled(base or config, rows)
    return config if g == (base or config) else g.but(early_stop=config.early_stop)  # stopped as the others are


def select_many(series: list[DailySeries], splits: list[Split], specs: list[str], scheme: Scheme,
                config: TrainConfig = TrainConfig(), seeds: tuple[int, ...] = (0,), show_test: bool = False,
                on_model: Callable | None = None, progress: Callable | None = None,
                features: tuple[Features, ...] = (Features(),), ensemble: int = 1,
                chunk: int | None = None, pooled: bool = False, rule: str = DEFAULT_RULE,
                base: TrainConfig | None = None) -> list[Selection]:
    """`select` for many series at once, each with its own split: every candidate is one engine run over all
    series (series × folds × seeds are its members); each series chooses its own. `pooled`: each spec × features
    is also a global candidate (one network for all), trained as `global_config` says from `base` (the config given)."""
    check_rule(rule)
    if rule in BLENDS and pooled:
        raise ViewcastError("averages per-series models; with --global use 1se or min", param="rule", value=rule)
    groups = same_offer(features, series)
    if len(groups) > 1:  # each series gets the candidates it alone would get
        out: list = [None] * len(series)
        for idx in groups:
            got = select_many([series[i] for i in idx], [splits[i] for i in idx], specs, scheme, config, seeds,
                              show_test, on_model, progress, features, ensemble, chunk, pooled, rule, base)
            for i, g in zip(idx, got):
                out[i] = g
        return out
    ks = [models.parse(s).k for s in specs]
    features = offered(features, series[0].values) if series else features  # a search never offers a log of negatives
    prepared = [{f: prepare_all(s, ks, sp, config.normalize, f) for f in features}  # the same days for all
                for s, sp in zip(series, splits)]
    cands = compare_many(prepared, specs, scheme, config, seeds, on_model, progress, chunk)
    if pooled:
        for f in features:
            for spec in specs:
                if on_model:
                    on_model(f"{spec}{f} global", 0, 0)
                k = models.parse(spec).k
                every = [pr[f][k] for pr in prepared]
                for c, g in zip(cands, evaluate_global(spec, every, scheme, global_config(config, base, _rows(every)),
                                                       seeds, progress)):
                    c.append(g)
    weighted = [blend_of(c, rule) if rule in BLENDS else [] for c in cands]  # [(candidate, weight)], chosen first
    chosen = [w[0][0] if w else choose(c, rule) for c, w in zip(cands, weighted)]
    blends = [[c for c, _ in w] for w in weighted]
    data = [pr[c.features][models.parse(c.spec).k] for pr, c in zip(prepared, chosen)]
    if on_model:
        on_model("refit the chosen", 0, 0)
    own = [i for i, c in enumerate(chosen) if not c.pooled]
    refits: list = [None] * len(series)
    for i, r in zip(own, refit_many([chosen[i] for i in own], [data[i] for i in own], config, progress, ensemble, chunk)):
        refits[i] = r
    for label in {c.label for c in chosen if c.pooled}:  # a global model is refit on every series, used by its choosers
        idx = [i for i, c in enumerate(chosen) if c.label == label]
        c = chosen[idx[0]]
        k = models.parse(c.spec).k
        datas = [pr[c.features][k] for pr in prepared]
        every = fit_global(c.spec, datas, global_config(config, base, _rows(datas)).but(early_stop=None),
                           stop_after=updates_chosen(c), ensemble=ensemble, progress=progress)
        for i in idx:
            refits[i] = every[i]
    others: list[dict | None] = [None] * len(series)
    if show_test:
        rest = [[c for c in cs if c is not ch] for cs, ch in zip(cands, chosen)]
        flat = [(i, c, pr[c.features][models.parse(c.spec).k]) for i, (cs, pr) in enumerate(zip(rest, prepared)) for c in cs]
        fitted = refit_many([c for _, c, _ in flat], [d for _, _, d in flat], config, None, ensemble, chunk)
        others = [{c.label: r.test["mae"] for (j, c, _), r in zip(flat, fitted) if j == i} for i in range(len(series))]
    blend_refits: list[list] = [[] for _ in series]
    blend_data: list[list] = [[] for _ in series]
    tied = [(i, c) for i, b in enumerate(blends) for c in b[1:]]  # the chosen (b[0]) is refit above
    if tied:
        if on_model:
            on_model("refit the other candidates of the blend", 0, 0)
        more = [prepared[i][c.features][models.parse(c.spec).k] for i, c in tied]
        fitted = refit_many([c for _, c in tied], more, config, progress, ensemble, chunk)
        for i, b in enumerate(blends):
            if b:
                blend_refits[i], blend_data[i] = [refits[i]], [data[i]]
        for (i, _), r, d in zip(tied, fitted, more):
            blend_refits[i].append(r)
            blend_data[i].append(d)
    warnings = [RANDOM_WARNING] if scheme.kind == "random" else []
    return [Selection(s.name, sp, scheme, seeds, cs, ch, r, d, config, ensemble, o, list(warnings), rule,
                      *((b, br, bd, [x for _, x in w]) if len(b) > 1 else ([], [], [], [])))
            for s, sp, cs, ch, r, d, o, b, br, bd, w in zip(series, splits, cands, chosen, refits, data, others, blends,
                                                               blend_refits, blend_data, weighted)]


def _rows(datas: list[Prepared]) -> int:
    """Every series' training windows: what a global model's recipe is sized by (`pooled.scaled`)."""
    return sum(len(d.train) for d in datas)


def refit_many(chosen: list[Candidate], data: list[Prepared], config: TrainConfig, progress=None, ensemble: int = 1,
               chunk: int | None = None) -> list[FitResult]:
    """Refit each candidate on its training days for the updates validation chose (one engine run per
    distinct spec × features, its series as members)."""
    out: list[FitResult | None] = [None] * len(chosen)
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(chosen):
        groups.setdefault((c.spec, c.features), []).append(i)
    for (spec, _), idx in groups.items():
        fitted = fit_many(spec, [data[i] for i in idx], config.but(early_stop=None),
                          stop_after=[updates_chosen(chosen[i]) for i in idx], ensemble=ensemble, chunk=chunk,
                          progress=progress)
        for i, r in zip(idx, fitted):
            out[i] = r
    return out

