"""The table side of the training commands (`fit|cv|ladder|diagnose TABLE.csv --target COLUMN`) and a
table's submission (`predict --model FILE TEST.csv -o submission.csv`): thin — check the outputs before
any work, call the library, print or --json."""
from __future__ import annotations

from pathlib import Path
from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from .. import io
from ..checks import check
from ..diagnosis.config import DiagnoseConfig
from ..errors import ViewcastError
from ..train.config import TrainConfig
from ..text.i18n import t
from . import outputs
from .kit import BUILDERS, Opt, emit_json, err, given, out, print_lines, progress_bar, say
from .views import table as view

TABLE = (
    Opt("target", Annotated[Optional[str], typer.Option("--target", help="Read SOURCE as a table: each row an example, this column its target, the other numeric columns its features (docs/homework.md).")], None),
    Opt("columns", Annotated[Optional[str], typer.Option("--features", help="A table's feature columns by name or glob: a,b,c or 'tested_positive*' (default: every numeric one but the id and the constants).")], None),
    Opt("select", Annotated[Optional[str], typer.Option("--select", help="A table: keep the K best features, scored on the training rows only (cv: several to compare, e.g. 8,16,all).")], None),
    Opt("select_by", Annotated[str, typer.Option("--select-by", help="A table's feature score: f_regression (linear) or mutual_info (any dependence).")], "f_regression"),
    Opt("test", Annotated[Optional[str], typer.Option("--test", help="A table's rows held out as the test part: a random share (default 0.2; leaderboard 0.3) or the last rows, last:0.2.")], None),
)
@dataclass(frozen=True)
class TableArgs:
    """How a table is read (`--target` makes SOURCE a table)."""

    target: str | None
    columns: str | None
    select: str | None
    select_by: str
    test: str | None

    @property
    def on(self) -> bool:
        return self.target is not None

    def ks(self) -> list[int | None] | None:
        """--select as numbers of features ('all': every one); None when not given."""
        if self.select is None:
            return None
        out = []
        for x in self.select.split(","):
            x = x.strip().lower()
            if x in ("all", "every", "none"):
                out.append(None)
                continue
            try:
                k = int(x)
            except ValueError:
                raise ViewcastError("give numbers of features, e.g. 16 or 8,16,all", param="select", value=self.select) from None
            check(select=k)
            out.append(k)
        return out

    def one(self) -> int | None:
        ks = self.ks()
        if ks is not None and len(ks) > 1:
            raise ViewcastError("fit trains one model: give one number of features (cv compares several)",
                                param="select", value=self.select)
        return ks[0] if ks else None

    def check(self, *series_only: str) -> None:
        """A table given series-only options (dates, --column, --fill …): refused, naming them."""
        if not self.on:
            for name in ("columns", "select", "test"):
                if getattr(self, name) is not None:
                    flag = {"columns": "--features"}.get(name, "--" + name)
                    raise ViewcastError(f"{flag} is for a table: name its target column with --target",
                                        param="target", value=None)
            return
        bad = [n for n in series_only if given(n)]
        if bad:
            raise ViewcastError(f"{', '.join('--' + n.replace('_', '-') for n in bad)}: for a series, not a table; "
                                "a table's columns are chosen with --features, its test rows with --test",
                                param="target", value=self.target)


def table_config(config: TrainConfig) -> TrainConfig:
    """A table's training settings: MSE (the homework's metric) unless --loss is given."""
    return config if given("loss") else config.but(loss="mse")


BUILDERS["table"] = (TABLE, lambda kw: TableArgs(**kw))

SERIES_ONLY = ("column", "date_column", "fill", "train_start", "train_end", "test_start", "test_end")


def _kw(table: TableArgs, test: float | None = None) -> dict:
    return {"target": table.target, "features": table.columns, "test": table.test if table.test is not None else
            (test if test is not None else 0.2)}


def fit(src, table: TableArgs, config, model: str | None, val: str | None, ensemble: int, save: str | None,
        json_: bool) -> None:
    from .. import api, store

    table.check(*SERIES_ONLY)
    if save:
        io.check_target(save)  # before training: a bad path must not cost the run
    with progress_bar(json_, model or "linear") as (_, step):
        r = api.fit(src.source, model, table_config(config), validation=val, ensemble=ensemble, progress=step,
                    select=table.one(), select_by=table.select_by, **_kw(table))
    if save:
        store.save_table(r, save)
    if json_:
        emit_json({**r.as_dict(), "notes": r.warnings, "saved": save})
    else:
        print_lines(view.fit(r, val, save))
    if r.interrupted:
        raise typer.Exit(130)


def cv(src, table: TableArgs, config, scheme, models_: str | None, seeds: int, rule: str, json_: bool) -> None:
    from .. import api
    from ..evaluate.candidates import Interrupted

    table.check(*SERIES_ONLY, "search", "ensemble", "show_test", "curve", "save", "gap")
    with progress_bar(json_) as (task, step):
        try:
            sel = api.select(src.source, models_, scheme if given("val") else None, table_config(config), seeds=seeds,
                             rule=rule if given("rule") else None, select=table.ks(), select_by=table.select_by,
                             on_model=task, progress=step, **_kw(table))
        except Interrupted as e:
            err.print(f"interrupted: {e}; no model was chosen and the test rows were not scored", highlight=False)
            raise typer.Exit(130)
    if json_:
        return emit_json(sel.as_dict())
    print_lines(view.selection(sel))


def ladder(src, table: TableArgs, config, lang: str, json_: bool) -> None:
    from .. import api

    table.check(*SERIES_ONLY, "log", "weekday")
    with progress_bar(json_, lang=lang) as (task, step):
        res = api.ladder(src.source, table_config(config), on_model=task, progress=step, **_kw(table))
    if json_:
        emit_json(res.as_dict())
    else:
        print_lines(view.ladder(res, lang))
    if res.interrupted is not None:
        raise typer.Exit(130)


def diagnose(src, table: TableArgs, config, scheme, models_: str | None, out_dir: list[str] | None, no_plots: bool,
             lang: str, json_: bool) -> None:
    from .. import api

    from .views.diagnose import reference_line, sentences, verdict_table

    table.check(*SERIES_ONLY, "worst_factor", "gap")
    targets = [] if no_plots else outputs.plan(out_dir or [outputs.FIGURES], [LOSSES])  # before any work
    with progress_bar(json_, lang=lang) as (task, step):
        d = api.diagnose(src.source, models_, scheme if given("val") else None, table_config(config),
                         dconfig=DiagnoseConfig(seed=config.seed), on_model=task, progress=step,
                         **{k: v for k, v in _kw(table).items() if k != "features"})
    paths = outputs.draw(_losses_chart(d, lang), targets) if targets else []
    if json_:
        return emit_json({**d.as_dict(), "figures": [str(p) for p in paths], "warnings": []})
    print_lines([view.as_rows(x, lang) for x in verdict_table(d, lang)])
    say(reference_line(d, lang), style="dim")
    print_lines([view.as_rows(x, lang) for x in sentences(d, lang)])
    for p in paths:
        say(t("cli.figure", lang, path=p), highlight=False)


LOSSES = outputs.Output("diagnose-losses", (".png", ".html"))


def _losses_chart(d, lang: str):
    from ..figures.curves import losses_chart  # matplotlib and plotly load only when drawing

    return losses_chart(d, lang)


def predict(model: str, source: str, output: Path | None, encoding: str | None, json_: bool) -> None:
    """A submission: `id,<target>` for every row of the test file, in its order."""
    from .. import api

    if output is not None:  # a file, or a folder that gets submission.csv, as -o is everywhere
        output = outputs.plan(output, [outputs.Output("submission", (".csv",))])[0].path
    sub = api.submission(model, source, encoding=encoding)
    if output is not None:
        io.write_atomic(output, sub.to_csv(index=False, lineterminator="\n").encode())
    if json_:
        return emit_json({"source": str(source), "model": model, "rows": len(sub), "columns": list(sub.columns),
                          "written": str(output) if output else None,
                          "predictions": sub.head(10).to_dict(orient="records") if output else sub.to_dict(orient="records")})
    if output is not None:
        out.print(f"wrote {output}: {len(sub):,} rows ({', '.join(sub.columns)}), in the test file's order", highlight=False)
    else:
        out.print(sub.to_csv(index=False), end="", highlight=False, markup=False)


__all__ = ["fit", "cv", "ladder", "diagnose", "predict"]
