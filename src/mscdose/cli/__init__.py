"""The command line: the only place that reads argv, prints, colours or picks exit codes."""

from __future__ import annotations

import contextlib
import contextvars
import errno
import gc
import os
import sys
import traceback
from typing import NoReturn

from mscdose.errors import ExitCode, MscdoseError


def main(argv: list[str] | None = None) -> int:
    """Run mscdose; every failure becomes one line on stderr and an exit code (see ExitCode).

    ``--debug`` anywhere prints the traceback instead of the line (same exit code).
    """
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import prepare_streams

    prepare_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if any("\x00" in arg for arg in args):  # only a caller in Python can pass one
        _error("an argument holds a NUL character (\\x00), which no command line can carry")
        return int(ExitCode.INVALID)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        # each run in its own context: an option a command sets there (--words) ends with it
        code = contextvars.copy_context().run(_run, args)
    except KeyboardInterrupt:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()  # the reader went away (e.g. `| head`): not an error worth a line
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
    except SystemExit as exc:
        # click (after wrapping the streams) and rich turn a broken pipe into exit 1, the code
        # of a finding; main() ends it quietly with 0
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            sys.stdout = getattr(sys.stdout, "wrapped", sys.stdout)
            sys.stderr = getattr(sys.stderr, "wrapped", sys.stderr)
        elif not isinstance(exc.__context__, BrokenPipeError):
            raise
        raise BrokenPipeError(errno.EPIPE, "stdout's reader went away") from None
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
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: what is left has nowhere to go
        _quiet_stdout()
    except ValueError:  # a closed stream has nothing to flush
        pass


def _quiet_stdout() -> None:
    """Point stdout's descriptor at the null device, so that the interpreter's last flush does
    not fail again ("Exception ignored … BrokenPipeError", exit 120)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
