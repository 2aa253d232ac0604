"""``python -m mscdose``."""

from mscdose.cli import run

run()
