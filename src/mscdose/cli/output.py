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
    """Exactly one JSON document on stdout (models as ``model_dump(mode="json")`` gives them);
    on a stdout that is not UTF-8, every character beyond ASCII escaped, so it stays exact."""
    # imported on first use, to keep start-up fast
    from mscdose.models import json_ready

    document = json_ready(document)
    # allow_nan=False: an inf or nan is a bug to report (exit 70), never invalid JSON
    text = json.dumps(document, ensure_ascii=not utf8(sys.stdout), allow_nan=False)
    sys.stdout.write(text + "\n")


def utf8(stream: Any) -> bool:
    """Whether a text stream writes UTF-8 (StringIO and friends, without an encoding: yes)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    import codecs

    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


_BEYOND_ASCII = None


def ascii_json(text: str) -> str:
    """JSON text with every character beyond ASCII written as its escape (``\\u4ebf``, a pair
    for those beyond the BMP): the same JSON, for a stream that cannot hold UTF-8."""
    import re

    global _BEYOND_ASCII
    if _BEYOND_ASCII is None:
        _BEYOND_ASCII = re.compile("[^\x00-\x7f]")
    return _BEYOND_ASCII.sub(_escape, text)


def _escape(match: Any) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def prepare_streams() -> None:
    """Streams that never end a run with a traceback: a closed stdout or stderr (``>&-``) is
    replaced by the null device (what is written there is lost, as the user asked); a stream
    that is not UTF-8 (a cp1252 redirect) writes what its encoding holds, ``?`` for the rest
    (JSON escapes what it cannot hold instead; see :func:`emit_json`)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif not utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


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
