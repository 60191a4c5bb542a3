"""The table side of the training commands (`fit|cv|ladder|diagnose TABLE.csv --target COLUMN`) and a
table's submission (`predict --model FILE TEST.csv -o submission.csv`): thin — check the outputs before
any work, call the library, print or --json."""
from __future__ import annotations

from pathlib import Path
import typer

from .. import api, io, store
from ..diagnose import DiagnoseConfig
from ..evaluate.candidates import Interrupted
from ..text.i18n import t
from .kit import TableArgs, emit_json, err, out, print_lines, progress_bar, say, table_config
from .views import table as view

SERIES_ONLY = ("column", "date_column", "fill", "train_start", "train_end", "test_start", "test_end")


def _kw(table: TableArgs, test: float | None = None) -> dict:
    return {"target": table.target, "features": table.columns, "test": table.test if table.test is not None else
            (test if test is not None else 0.2)}


def fit(src, table: TableArgs, config, model: str | None, val: str | None, ensemble: int, save: str | None,
        json_: bool) -> None:
    table.check(*SERIES_ONLY)
    if save:
        io.check_target(save)  # before training: a bad path must not cost the run
    with progress_bar(json_, model or "linear") as (_, step):
        r = api.fit(model, src.source, table_config(config), validation=val, ensemble=ensemble, progress=step,
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
    from .kit import given

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
    table.check(*SERIES_ONLY, "log", "weekday")
    with progress_bar(json_) as (task, step):
        res = api.ladder(src.source, table_config(config), on_model=task, progress=step, **_kw(table))
    if json_:
        emit_json(res.as_dict())
    else:
        print_lines(view.ladder(res, lang))
    if res.interrupted is not None:
        raise typer.Exit(130)


def diagnose(src, table: TableArgs, config, scheme, models_: str | None, out_dir: Path, no_plots: bool, lang: str,
             json_: bool) -> None:
    from .kit import given
    from .views.diagnose import reference_line, sentences, verdict_table

    table.check(*SERIES_ONLY, "worst_factor")
    if not no_plots:
        io.check_folder(out_dir)
    with progress_bar(json_) as (task, step):
        d = api.diagnose(src.source, models_, scheme if given("val") else None, table_config(config),
                         dconfig=DiagnoseConfig(seed=config.seed), on_model=task, progress=step,
                         **{k: v for k, v in _kw(table).items() if k != "features"})
    paths = [] if no_plots else _losses_figure(d, out_dir, lang)
    if json_:
        return emit_json({**d.as_dict(), "figures": [str(p) for p in paths], "warnings": []})
    print_lines(verdict_table(d, lang))
    say(reference_line(d, lang), style="dim")
    print_lines(sentences(d, lang))
    for p in paths:
        say(t("cli.figure", lang, path=p), highlight=False)


def _losses_figure(d, folder: Path, lang: str) -> list[Path]:
    from ..figures.curves import losses_chart
    from ..figures.write import write

    return write(losses_chart(d, lang), folder / "diagnose-losses")


def predict(model: str, source: str, output: Path | None, encoding: str | None, json_: bool) -> None:
    """A submission: `id,<target>` for every row of the test file, in its order."""
    if output is not None:
        io.check_target(output, "out")
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
