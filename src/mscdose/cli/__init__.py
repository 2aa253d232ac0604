"""The command line: the only place that reads argv, prints, colours or picks exit codes."""

from __future__ import annotations

import contextlib
import sys
import traceback

from mscdose.errors import ExitCode, MscdoseError


def main(argv: list[str] | None = None) -> int:
    """Run mscdose; every failure becomes one line on stderr and an exit code (see ExitCode)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        import typer

        from mscdose.cli.app import command

        try:
            result = command(args).main(args, prog_name="mscdose", standalone_mode=False)
        except typer.Exit as exc:  # raised outside invoke (e.g. by --version's callback)
            result = exc.exit_code
        code = int(result) if isinstance(result, int) else 0
    except MscdoseError as exc:
        if debug:
            raise
        _error(str(exc))
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a line
        code = ExitCode.OK
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `mscdose`: help, not an error
            print(exc.format_message())  # type: ignore[attr-defined]
            code = ExitCode.OK
        elif type(exc).__name__ == "Abort":  # EOF or Ctrl-C at a prompt
            _error("interrupted")
            code = ExitCode.INTERRUPTED
        elif _is_usage_error(exc):
            if debug:
                raise
            _error(_usage_message(exc))
            code = ExitCode.INVALID
        elif debug:
            traceback.print_exc()
            code = ExitCode.INTERNAL
        else:
            _error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in mscdose — "
                   "please report it with the output of the same command run with --debug")
            code = ExitCode.INTERNAL
    _flush()
    return int(code)


def _is_usage_error(exc: Exception) -> bool:
    import typer

    return isinstance(exc, typer.TyperException)


def _usage_message(exc: Exception) -> str:
    import typer

    if isinstance(exc, typer.TyperException):
        message = exc.format_message()
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        return f"{message}{where}"
    return str(exc)


def _error(message: str) -> None:
    line = " ".join(message.split())
    print(f"mscdose: error: {line}", file=sys.stderr)


def _flush() -> None:
    with contextlib.suppress(BrokenPipeError, ValueError):  # a closed pipe has nothing to flush
        sys.stdout.flush()
