"""Where each command lives, so that running one command imports only its own module
(start-up time), while --help and unknown names see them all. Listed in --help order."""

from __future__ import annotations

import importlib

MODULES = {
    "check": "check_cmd",
    "convert": "convert_cmd",
    "regimen": "regimen_cmd",
    "extract": "extract_cmd",
    "batch": "batch_cmd",
    "studies": "studies_cmd",
    "show": "studies_cmd",
    "ranges": "ranges_cmd",
    "routes": "vocab_cmd",
    "indications": "vocab_cmd",
    "schema": "schema_cmd",
    "table": "table_cmd",
}


def register(args: list[str]) -> None:
    """Import the module of the command named in ``args``, or every module."""
    name = next((a for a in args if not a.startswith("-")), None)
    wanted = [MODULES[name]] if name in MODULES else list(dict.fromkeys(MODULES.values()))
    for module in wanted:
        importlib.import_module(f"mscdose.cli.{module}")
