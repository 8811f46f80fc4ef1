"""The ``ustpull`` command line: argument parsing and calls into the public API only.

Exit codes: 0 ok, 1 an unexpected failure, 2 usage or bad input, 3 partial (some series
failed, the rest committed), 4 source unavailable. Errors are one line on stderr; ``--debug``
shows the traceback.
"""

from __future__ import annotations

import sys
import warnings
from typing import Annotated

import typer

from ustpull._version import __version__
from ustpull.cli import (
    _commands_connectedness,
    _commands_curves,
    _commands_data,
    _commands_dollar,
    _commands_foreign,
    _commands_report,
    _commands_stocks,
    _commands_termpremium,
)
from ustpull.cli._common import STATE, exit_code_for

app = typer.Typer(
    name="ustpull",
    help="How U.S. Treasuries pull U.S. stocks, the dollar and foreign government bonds.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # help strings are plain text: "pip install 'ustpull[dask]'" must not lose "[dask]"
    rich_markup_mode=None,
)


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    STATE.debug = debug
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


for _module in (
    _commands_data,
    _commands_curves,
    _commands_termpremium,
    _commands_stocks,
    _commands_foreign,
    _commands_dollar,
    _commands_report,
    _commands_connectedness,
):
    _module.register(app)


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """Model caveats (ShortEndWarning, ShortSampleWarning) as one line, not a source excerpt."""
    return f"ustpull: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    STATE.debug = "--debug" in args
    # Only the formatting changes: warnings are still shown once and can still be recorded.
    default_format = warnings.formatwarning
    if not STATE.debug:
        warnings.formatwarning = _one_line_warning
    try:
        return _run(args)
    finally:
        warnings.formatwarning = default_format


def _run(args: list[str]) -> int:
    try:
        # Without standalone mode, click returns (not raises) a command's typer.Exit code.
        result = app(args=args, standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("ustpull: aborted", err=True)
        return 1
    except Exception as exc:  # one clear line; the traceback only with --debug
        if STATE.debug:
            raise
        code, message = exit_code_for(exc)
        typer.echo(f"ustpull: error: {message}", err=True)
        return code
    return result if type(result) is int else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
