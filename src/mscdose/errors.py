"""Errors are data: what was given, what was expected, how to write it, and an exit code.

Every error the library raises on bad input is a :class:`MscdoseError`; the CLI
maps them to one line on stderr and the exit code they carry.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes a script can branch on (documented in the README)."""

    OK = 0  # success; for check: within the reported range
    FINDING = 1  # check/batch: outside the range, or no data; extract: ambiguous or none
    INVALID = 2  # invalid input or usage
    INTERNAL = 70  # a bug in mscdose (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C


class MscdoseError(Exception):
    """Base of every error mscdose raises on bad input."""

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(
        self,
        message: str,
        *,
        given: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.given = given
        self.expected = expected
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text = f"{text}; {self.hint}"
        return text


class DoseSyntaxError(MscdoseError, ValueError):
    """A dose expression the strict grammar cannot read."""


class AmbiguousNotationError(DoseSyntaxError):
    """Notation that can be read two ways (a lost superscript, 10*7, a decimal comma)."""

    def __init__(
        self,
        message: str,
        *,
        given: str | None = None,
        likely: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, given=given, hint=hint)
        self.likely = likely


class QuantityError(MscdoseError, ValueError):
    """A patient quantity (weight, height, volume, age, viability): unreadable or implausible."""


class VocabularyError(MscdoseError, LookupError):
    """An unknown route, indication, cell source or population."""

    def __init__(
        self,
        message: str,
        *,
        given: str | None = None,
        suggestions: tuple[str, ...] = (),
        hint: str | None = None,
    ) -> None:
        if suggestions and hint is None:
            hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message, given=given, hint=hint)
        self.suggestions = suggestions


class ScheduleError(MscdoseError, ValueError):
    """A schedule that cannot be read or contradicts itself."""


class TableError(MscdoseError):
    """A reference table that cannot be used; ``problems`` lists every ``PATH:LINE: message``."""

    def __init__(self, problems: list[str]) -> None:
        first = problems[0] if problems else "the table is invalid"
        extra = len(problems) - 1
        more = f" (and {extra} more {'problem' if extra == 1 else 'problems'})" if extra else ""
        super().__init__(first + more)
        self.problems = problems

    def __str__(self) -> str:
        return self.message


class InputError(MscdoseError):
    """Input that cannot be read at all (a missing file, an unknown batch format)."""
