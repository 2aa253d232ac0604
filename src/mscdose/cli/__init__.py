"""The command line: the only place that reads argv, prints, colours or picks exit codes."""

from __future__ import annotations

import contextlib
import contextvars
import gc
import sys
import traceback
from typing import NoReturn

from mscdose.errors import ExitCode, MscdoseError


def main(argv: list[str] | None = None) -> int:
    """Run mscdose; every failure becomes one line on stderr and an exit code (see ExitCode).

    ``--debug`` anywhere prints the traceback instead of the line (same exit code).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        # each run in its own context: an option a command sets there (--words) ends with it
        code = contextvars.copy_context().run(_run, args)
    except KeyboardInterrupt:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a line
        code = ExitCode.OK
    except Exception as exc:
        code, message = _classify(exc)
        if debug:
            traceback.print_exc()
        elif message:
            _error(message)
    _flush()
    return int(code)


def run() -> NoReturn:
    """The ``mscdose`` command: :func:`main`, then exit with its code.

    The interpreter's last collections at exit walk every object (pydantic's schemas, the
    table): ~15 ms of each run. Frozen objects are skipped; by then files are closed and
    streams flushed, and objects still go by reference counting."""
    code = main()
    gc.freeze()
    sys.exit(code)


def _run(args: list[str]) -> int:
    import typer

    # imported on first use, to keep start-up fast
    from mscdose.cli.app import command

    try:
        result = command(args).main(args, prog_name="mscdose", standalone_mode=False)
    except typer.Exit as exc:  # raised outside a command (e.g. by --version's callback)
        result = exc.exit_code
    if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into this code, silently
        _error("interrupted")
    return int(result) if isinstance(result, int) else ExitCode.OK


def _classify(exc: Exception) -> tuple[int, str | None]:
    """The exit code of an exception, and the one line that says what went wrong."""
    import typer

    if isinstance(exc, MscdoseError):
        return exc.exit_code, str(exc)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `mscdose` or `mscdose table` alone: help
        print(exc.format_message())  # type: ignore[attr-defined]
        return ExitCode.OK, None
    if isinstance(exc, typer.Abort):  # EOF or Ctrl-C at a prompt
        return ExitCode.INTERRUPTED, "interrupted"
    if isinstance(exc, typer.TyperException):  # usage: unknown option, missing argument …
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        return ExitCode.INVALID, f"{exc.format_message()}{where}"
    return ExitCode.INTERNAL, (
        f"internal error ({type(exc).__name__}: {exc}); this is a bug in mscdose — "
        "please report it with the output of the same command run with --debug"
    )


def _error(message: str) -> None:
    line = " ".join(message.split())
    print(f"mscdose: error: {line}", file=sys.stderr)


def _flush() -> None:
    with contextlib.suppress(BrokenPipeError, ValueError):  # a closed pipe has nothing to flush
        sys.stdout.flush()
