"""Every command module, imported for its registration on the app (keep them light to import)."""

from mscdose.cli import convert_cmd  # noqa: F401
