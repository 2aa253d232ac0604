"""Where output goes: JSON to stdout with the json module (never through rich), people's
output through a rich Console that honours NO_COLOR and non-terminals."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def emit_json(document: Any) -> None:
    """Exactly one JSON document on stdout (models as ``model_dump(mode="json")`` gives them)."""
    # imported on first use, to keep start-up fast
    from mscdose.models import json_ready

    document = json_ready(document)
    # allow_nan=False: an inf or nan is a bug to report (exit 70), never invalid JSON
    sys.stdout.write(json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n")


def use_ascii(ascii: bool) -> bool:
    """ASCII numbers when asked, or when stdout cannot encode superscripts."""
    if ascii:
        return True
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"  # StringIO and friends: text
    try:
        "× 10⁶ ²–".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A rich Console for people; colour off with NO_COLOR, TERM=dumb or a non-terminal."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    return Console(
        file=stream, no_color=no_color, width=width, highlight=False, soft_wrap=False, emoji=False
    )
