"""What -o means in every command. A FOLDER — one that exists, a name ending in /, or a name with no
suffix — gets each of the command's files under its usual name (forecast.csv, forecast.png,
forecast.html); a FILE gets what its suffix picks (forecast.png: the chart as a picture, .html the same
chart interactive, .csv the numbers). Repeat -o for several. When a command draws several pictures, a
file name is their stem: `diagnose -o d.png` writes d-losses.png and d-worst-days.png. Every path is
checked writable before any work, so no run is lost to a bad -o.

>>> outs = [Output("forecast", (".csv", ".png", ".html"))]
>>> [t.path.name for t in plan([tmp / "f.png"], outs)], [t.path.name for t in plan([tmp / "out"], outs)]
(['f.png'], ['forecast.csv', 'forecast.png', 'forecast.html'])
>>> [t.path.name for t in plan([tmp / "d.png"], [Output("diagnose-losses", (".png",), "losses"),
...                                              Output("diagnose-worst-days", (".png",), "worst-days")])]
['d-losses.png', 'd-worst-days.png']
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ViewcastError
from ..io import check_folder, check_target

FIGURES = "viewcast-out"  # cv's and diagnose's folder when -o is not given
HELP = ("a folder (its files under their usual names) or a file whose suffix picks what is written; repeat "
        "for several")


@dataclass(frozen=True)
class Output:
    stem: str  # its file name in a folder, without the suffix: "forecast", "diagnose-losses"
    suffixes: tuple[str, ...]  # what it can be written as, e.g. (".png", ".html"): a folder gets each
    part: str = ""  # its name after a file stem when the command writes several: d.png → d-losses.png


@dataclass(frozen=True)
class Target:
    output: Output
    path: Path

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def is_folder(value: str | Path) -> bool:
    """A folder, for -o: one that exists, a name ending in / or with no suffix."""
    text = str(value)
    return text.endswith(("/", os.sep)) or Path(text).is_dir() or not Path(text).suffix


def plan(values, outputs: list[Output], param: str = "out") -> list[Target]:
    """The files -o `values` name for a command that writes `outputs`, each checked writable (before any work)."""
    if isinstance(values, (str, Path)):
        values = [values]
    targets: list[Target] = []
    for value in values:
        if is_folder(value):
            folder = check_folder(value, param)
            targets += [Target(o, check_target(folder / f"{o.stem}{sfx}", param, in_new_folder=True))
                        for o in outputs for sfx in o.suffixes]
            continue
        path = Path(value)
        fits = [o for o in outputs if path.suffix.lower() in o.suffixes]
        if not fits:
            known = sorted({s for o in outputs for s in o.suffixes})
            raise ViewcastError(f"use {' or '.join(known)} (or a folder)", param=param, value=str(path))
        for o in fits:
            name = path.stem + (f"-{o.part}" if len(fits) > 1 and o.part else "") + path.suffix
            targets.append(Target(o, check_target(path.with_name(name), param)))
    return targets


def draw(picture, targets: list[Target]) -> list[Path]:
    """A picture to each of `targets` (PNG or HTML by suffix); the paths written."""
    from ..figures.write import write_file  # matplotlib and plotly load only when drawing

    return [write_file(picture, t.path) for t in targets]
