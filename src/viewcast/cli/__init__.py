"""The command line: each command parses, calls one library function, and prints (rich) or --json.
Commands live in modules by concept and register themselves on `app`."""
from __future__ import annotations

from typing import Annotated

import typer

from ..version import __version__

app = typer.Typer(help="Forecast tomorrow's daily views the Apple book's way: a model, a loss, gradient descent.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(value: bool) -> None:
    if value:
        typer.echo(f"viewcast {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                          help="Print the version and exit.")] = False) -> None:
    """viewcast: chapters 1–2 of Hung-yi Lee's Deep Learning Tutorial as a tool."""


from . import data, fit, ladder, cv, diagnose, leaderboard, surface, forecast, lab, report  # noqa: E402,F401  (each registers its commands)


def _answers_at_once(args: list[str]) -> bool:
    """Help, the version and `data` train nothing: no need to look at how busy the machine is.

    >>> _answers_at_once([]), _answers_at_once(["forecast", "-h"]), _answers_at_once(["data", "show"])
    (True, True, True)
    >>> _answers_at_once(["forecast", "--days", "7"])
    False
    """
    return not args or args[0] == "data" or bool({"-h", "--help", "--version"} & set(args))


def main() -> None:
    """The `viewcast` command: a bad option or argument is one line on stderr and exit status 2, as bad
    input is everywhere (click would draw a usage box); help and the commands' own exits pass through."""
    import sys

    from ..busy import calm_threads

    if not _answers_at_once(sys.argv[1:]):
        calm_threads()  # before any command loads torch (a tenth of a second spent looking)
    # click's exceptions, wherever this typer keeps them (click itself, or its own copy in typer._click)
    errors = sys.modules[typer.BadParameter.__module__]
    no_args = getattr(errors, "NoArgsIsHelpError", ())
    try:
        code = app(standalone_mode=False)
    except no_args as e:  # `viewcast` alone, or a group without its command: the help
        e.show()
        sys.exit(e.exit_code)
    except errors.UsageError as e:
        where = f" (see `{e.ctx.command_path} --help`)" if e.ctx is not None else ""
        print(f"error: {e.format_message()}{where}", file=sys.stderr)
        sys.exit(2)
    except errors.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except typer.Abort:  # Ctrl-C while click itself reads input
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
