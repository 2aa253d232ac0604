"""Every command module, imported for its registration on the app (keep them light to import)."""

from mscdose.cli import (
    batch_cmd,  # noqa: F401
    check_cmd,  # noqa: F401
    convert_cmd,  # noqa: F401
    extract_cmd,  # noqa: F401
    ranges_cmd,  # noqa: F401
    regimen_cmd,  # noqa: F401
    schema_cmd,  # noqa: F401
    studies_cmd,  # noqa: F401
    table_cmd,  # noqa: F401
    vocab_cmd,  # noqa: F401
)
