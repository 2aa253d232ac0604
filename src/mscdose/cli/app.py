"""The Typer application; each command lives in a module of its own and registers itself here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from mscdose._version import DISCLAIMER

if TYPE_CHECKING:
    from typer._click import Command  # only for the annotation


app = typer.Typer(
    name="mscdose",
    help="Dose and regimen calculator for mesenchymal stromal cell (MSC) therapy. "
    + DISCLAIMER
    + "\n\nExit codes: 0 success (check: within range), 1 a finding (outside range, no data, "
    "ambiguous), 2 invalid input or usage, 70 internal error, 130 interrupted. "
    "Add --debug anywhere to see a traceback.",
    epilog="""Examples:

\b
  mscdose check "2x10^6 cells/kg" --route iv --indication gvhd --weight 70
  mscdose convert "1x10^7/kg" --weight "793 g"
  mscdose studies --indication 'liver failure'""",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (routes, indications …)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        # imported on first use, to keep start-up fast
        from mscdose._version import __version__
        from mscdose.errors import MscdoseError
        from mscdose.table.load import table_identity

        try:
            version, digest = table_identity()
            table = f"table {version}, sha256 {digest[:12]}"
        except MscdoseError as exc:  # a broken MSCDOSE_TABLE must not hide the version
            table = f"table unavailable: {exc}"
        typer.echo(f"mscdose {__version__} ({table})")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and the reference table's.",
        ),
    ] = False,
) -> None:
    """Dose and regimen calculator for MSC therapy."""


def command(args: list[str] | None = None) -> Command:
    """The click command behind the app, with the command named in ``args`` registered
    (every command when none is named)."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.commands import register

    register(args or [])
    root = typer.main.get_command(app)
    _plain_usage(root)
    return root


def _metavar(shown: str) -> Callable[..., str]:
    def make_metavar(*args: object, **kwargs: object) -> str:
        return shown

    return make_metavar


def _plain_usage(command: Command) -> None:
    """Usage lines name their arguments as the help does (``DOSE``, ``[TEXT]...``): typer
    writes a required one as ``{DOSE}``."""
    for param in command.params:
        if isinstance(param, typer.core.TyperArgument) and param.metavar:
            name = param.metavar + ("..." if param.nargs != 1 else "")
            param.make_metavar = _metavar(name if param.required else f"[{name}]")  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        _plain_usage(sub)
