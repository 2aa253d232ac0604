"""Writing an ``--output`` file: atomically, and never over what is not a file.

- A regular file (or a new one) is written to a temporary file beside it, renamed over it
  only when the whole run succeeded: until then the old file stays as it was, and a stopped
  or failed run leaves neither the new file nor the temporary one.
- A symlink is followed: its target is replaced as above, the link stays a link.
- A special file (``/dev/null``, a FIFO, a terminal) is written to directly, never replaced;
  ``/dev/stdout`` and its kin are written through the descriptor they name.
- A full disk, a folder that went away, no permission: one line, exit 2 (InputError).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from mscdose.errors import InputError


def _open(fd: int) -> BinaryIO:
    """The file object over a temporary file's descriptor (tests put a full disk here)."""
    return os.fdopen(fd, "wb")


def _problem(output: str, exc: OSError, *, started: bool = True) -> InputError:
    """The one line for a file that could not be written (``started``: during the run)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InputError(
            f"the disk is full: nothing was written to {output}",
            given=output,
            hint="free some space, or give --output a path on another disk",
        )
    where = f" ({exc.filename})" if exc.filename else ""
    if not started:
        return InputError(
            f"cannot write to {output}: {exc.strerror or exc}",
            given=output,
            hint="give a path in a folder you can write to",
        )
    return InputError(
        f"batch stopped: {exc.strerror or exc}{where}; nothing was written to {output}",
        given=output,
        hint="check the free space and permissions of the output folder "
        "and of the temporary folder (TMPDIR)",
    )


@contextlib.contextmanager
def output_file(output: str) -> Iterator[BinaryIO]:
    """A binary file to write the output to; ``output`` gets it only if the block ends
    normally. Raises InputError (exit 2) when it cannot be written."""
    if os.path.isdir(output):
        raise InputError(
            f"--output {output} is a folder",
            given=output,
            hint="give the path of the file to write, e.g. results.jsonl",
        )
    try:
        found: os.stat_result | None = os.stat(output)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                f"--output {output} is a symlink that leads back to itself",
                given=output,
                hint="give the path of a file, or mend the links",
            ) from None
        found = None
    descriptor = _descriptor(output)
    if descriptor is not None or (found is not None and not stat.S_ISREG(found.st_mode)):
        yield from _special(output, descriptor)
        return
    target = os.path.realpath(output) if os.path.islink(output) else output
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".mscdose-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _problem(output, exc, started=False) from None
    file: BinaryIO | None = None
    try:
        file = _open(fd)
        yield file
        file.close()
        if found is not None:  # the new file keeps the old one's permissions
            os.chmod(temporary, stat.S_IMODE(found.st_mode))
        os.replace(temporary, target)
        temporary = ""
    except OSError as exc:
        raise _problem(output, exc) from None
    finally:
        if temporary:  # stopped or failed: leave no half-written file behind
            if file is not None:
                with contextlib.suppress(OSError):  # its flush fails again on a full disk
                    file.close()
            else:
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temporary)


_DESCRIPTOR = re.compile(r"^/(?:dev/fd|proc/self/fd|proc/\d+/fd)/(\d+)$")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def _descriptor(output: str) -> int | None:
    """The descriptor of this process that ``output`` names through its links (/dev/stdout,
    /dev/fd/1, /proc/self/fd/1), or None. Such a path leads to whatever that descriptor is
    open on, a regular file too: it is written through the descriptor, never replaced (the
    shell would go on writing into a file no longer there)."""
    path = os.path.abspath(output)
    for _ in range(40):  # a loop of links ends somewhere
        if path in _STANDARD:
            return _STANDARD[path]
        match = _DESCRIPTOR.match(path)
        if match is not None:
            own = path.startswith(("/dev/fd/", "/proc/self/")) or path.startswith(
                f"/proc/{os.getpid()}/"
            )
            return int(match.group(1)) if own else None
        if not os.path.islink(path):
            return None
        try:
            path = os.path.join(os.path.dirname(path), os.readlink(path))
        except OSError:
            return None
        path = os.path.normpath(path)
    return None


def _special(output: str, descriptor: int | None = None) -> Iterator[BinaryIO]:
    """A device, FIFO or socket path, or one of our descriptors: written to as it is, never
    replaced."""
    try:
        if descriptor is not None:
            if descriptor == 1:
                sys.stdout.flush()
            file = os.fdopen(os.dup(descriptor), "wb")
        else:
            file = open(output, "wb")  # noqa: SIM115 - closed below, whatever happens
    except OSError as exc:
        raise _problem(output, exc, started=False) from None
    try:
        yield file
        file.close()
    except OSError as exc:
        raise _problem(output, exc) from None
    finally:
        with contextlib.suppress(OSError):
            file.close()
