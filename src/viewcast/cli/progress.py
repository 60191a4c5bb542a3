"""What a long command is doing, on stderr: its part (the ladder, the diagnosis; series 1–64 of 200),
the stage within it (validating a candidate, a rung of the ladder), how far that has come, and an ETA
for the whole command that moves with it. On a terminal one bar is redrawn in place; piped (a log
file, a notebook's `!viewcast`) each stage is one plain line, so a log shows where the time went.
Quiet under --json.

The library reports through three callbacks, none of which knows the others:
`part(name, start, width)` — this part is the share [start, start + width) of the whole work;
`task(name, i, n)` — stage i of n of the current part (a library's `on_model`);
`step(done, total, loss)` — an engine run's updates (a library's `progress`).

>>> import io
>>> from rich.console import Console
>>> st = Stages(Console(file=io.StringIO()), "report", live=False, clock=iter(range(0, 100, 10)).__next__)
>>> st.part("the ladder", 0.0, 0.5); st.task("linear:1", 0, 2); st.step(50, 100, 1.0); round(st.fraction, 3)
0.125
>>> st.task("linear:7", 1, 2); st.console.file.getvalue().splitlines()[-1]  # a stage's line waits for work
'0:00:20 report · the ladder · linear:1 (1/2) · ETA …'
>>> st.stop(); st.console.file.getvalue().splitlines()[-1]
'0:00:30 report · the ladder · linear:7 (2/2) · ETA 0:01:30'
"""
from __future__ import annotations

import functools
import math
import re
import time
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..text import i18n
from ..text.fmt import num

MIN_FRACTION = 0.01  # no ETA before 1% of the work is done: the first seconds say too little


@functools.cache
def _names() -> list[tuple[re.Pattern, str]]:
    """The stage names the library says (in English), as patterns: each `progress.…` message's English text,
    its {fields} matching anything, the most specific first."""
    out = []
    for key, texts in i18n.MESSAGES.items():
        if key.startswith("progress."):
            parts = re.split(r"{(\w+)}", texts["en"])  # literal, field, literal, …
            pattern = "".join(re.escape(x) if j % 2 == 0 else f"(?P<{x}>.+?)" for j, x in enumerate(parts))
            out.append((re.compile(pattern), key, len("".join(parts[::2]))))
    return [(p, k) for p, k, _ in sorted(out, key=lambda x: -x[2])]


@functools.lru_cache(maxsize=1024)  # a live bar redraws its line at every update: each name is matched once
def spoken(text: str, lang: str) -> str:
    """A progress line's piece in `lang`: each part between ' · ' that is a stage name the library says (a
    `progress.…` message) in that language; model names and anything else as they are.

    >>> spoken("tomorrow's forecast", "zh"), spoken("relu:8 · 3 features", "zh"), spoken("linear:7", "zh")
    ('明天的预测', 'relu:8 · 3 个特征', 'linear:7')
    >>> spoken("refit the chosen", "en"), spoken("relu:56x100 +log: validating on the last year and refitting", "zh")
    ('refit the chosen', 'relu:56x100 +log：在最近一年上验证，再重新训练')
    >>> spoken("refit linear:7 global", "zh")  # a field is said in `lang` too
    '重新训练 linear:7（全局：所有序列一起训练）'
    """
    if lang == "en" or not text:
        return text
    out = []
    for piece in text.split(" · "):
        for pattern, key in _names():
            m = pattern.fullmatch(piece)
            if m:
                piece = i18n.t(key, lang, **{k: spoken(v, lang) for k, v in m.groupdict().items()})
                break
        out.append(piece)
    return " · ".join(out)


def clock_text(seconds: float) -> str:
    """H:MM:SS, as rich prints times."""
    s = int(max(0.0, seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Stages:
    """The three callbacks (`part`, `task`, `step`) over one display; `for x in stages` gives (task, step),
    the pair every command's library call takes."""

    def __init__(self, console: Console, label: str, live: bool, clock: Callable[[], float] = time.monotonic,
                 lang: str = "en"):
        self.console, self.label, self.live, self.clock, self.lang = console, label, live, clock, lang
        self.t0 = clock()
        self.where = (0.0, 1.0)  # the current part's share of the whole: start, width
        self.part_name = ""
        self.stage = (0, 1)  # the current task: i, n
        self.task_name = ""
        self.inner = 0.0  # how far the current task's engine run is, 0…1
        self.loss = ""
        self.bar: Progress | None = None
        self.bar_id = None
        self.said = False  # piped: whether a stage line was made yet
        self.pending: str | None = None  # piped: the newest stage line, printed once work follows it
        self.costs: list[float] = []  # the part's tasks' relative costs, when they differ (a ladder's rungs)

    # ------------------------------------------------------------------ the callbacks
    def part(self, name: str, start: float, width: float) -> None:
        self.part_name, self.where = name, (start, width)
        self.task_name, self.stage, self.inner, self.costs = "", (0, 1), 0.0, []
        self._stage_line()

    def weigh(self, costs: list[float]) -> None:
        """The relative costs of the current part's n tasks, in order: the ETA counts task i as costs[i] of
        their sum, not as one of n (a ladder's relu:56x1000 takes a dozen times linear:1's time)."""
        self.costs = [float(c) for c in costs]

    def task(self, name: str, i: int = 0, n: int = 0) -> None:
        self.task_name, self.stage, self.inner = name, (i, n or 1), 0.0
        self._stage_line()

    def step(self, done: int, total: int, loss: float = math.nan) -> None:
        self.inner = min(1.0, done / total) if total else 0.0
        self.loss = num(loss) if math.isfinite(loss) else ""
        if not self.live and not self.said:  # training began before any stage was named: say the command's
            self._stage_line()
        self._flush()
        self._redraw()

    def __iter__(self):
        return iter((self.task, self.step))

    # ------------------------------------------------------------------ what is shown
    @property
    def fraction(self) -> float:
        """How much of the whole command is done, 0…1."""
        i, n = self.stage
        start, width = self.where
        if len(self.costs) == n and i < n and sum(self.costs) > 0:
            done = (sum(self.costs[:i]) + self.costs[i] * self.inner) / sum(self.costs)
        else:
            done = (i + self.inner) / n
        return min(1.0, start + width * min(1.0, done))

    def eta(self, now: float | None = None) -> str:
        f, spent = self.fraction, (self.clock() if now is None else now) - self.t0
        return i18n.t("progress.eta", self.lang, time="…" if f < MIN_FRACTION else clock_text(spent * (1 - f) / f))

    def description(self) -> str:
        i, n = self.stage
        task = spoken(self.task_name, self.lang)
        task = f"{task} ({i + 1}/{n})" if task and n > 1 else task
        return " · ".join(x for x in (spoken(self.label, self.lang), spoken(self.part_name, self.lang), task) if x)

    def _stage_line(self) -> None:
        if self.live:
            self._redraw()
        else:  # one plain line per stage: a log, or a notebook's output, keeps them all. A line is printed
            #    when work follows it (an update, the next stage, the end): input refused at a stage is one
            #    line on stderr, the error's, not a stage line and then the error
            now = self.clock()
            self.said = True
            self._flush()
            self.pending = f"{clock_text(now - self.t0)} {self.description()} · {self.eta(now)}"

    def _flush(self) -> None:
        if self.pending is not None:
            self.console.print(self.pending, highlight=False, markup=False, soft_wrap=True)
            self.pending = None

    def _redraw(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar_id, description=self.description(), completed=self.fraction, eta=self.eta(),
                            loss=f"L {self.loss}" if self.loss else "")

    def start(self) -> None:
        if self.live:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[loss]}"),
                                TimeElapsedColumn(), TextColumn("{task.fields[eta]}"), console=self.console,
                                transient=True)
            self.bar_id = self.bar.add_task(self.description(), total=1.0, eta=self.eta(), loss="")
            self.bar.start()
        # piped, the first line waits for the first stage or update: input refused before any work is one
        # line on stderr (the error's), not a stage line and then the error

    def stop(self, finished: bool = True) -> None:
        """The display ends; piped, the last stage line is printed if the command finished (not if it failed)."""
        if finished:
            self._flush()
        if self.bar is not None:
            self.bar.stop()


class Quiet:
    """No display (--json): `task` does nothing and `step` is None, so the engine skips its callbacks."""

    def part(self, *a) -> None:
        pass

    def task(self, *a) -> None:
        pass

    def weigh(self, *a) -> None:
        pass

    step = None

    def __iter__(self):
        return iter((self.task, self.step))
