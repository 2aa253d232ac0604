"""Every command module, imported for its registration on the app (keep them light to import)."""

from mscdose.cli import convert_cmd  # noqa: F401
from mscdose.cli import check_cmd  # noqa: F401
from mscdose.cli import table_cmd  # noqa: F401
from mscdose.cli import studies_cmd  # noqa: F401
from mscdose.cli import ranges_cmd  # noqa: F401
from mscdose.cli import vocab_cmd  # noqa: F401
from mscdose.cli import schema_cmd  # noqa: F401
from mscdose.cli import batch_cmd  # noqa: F401
from mscdose.cli import regimen_cmd  # noqa: F401
from mscdose.cli import extract_cmd  # noqa: F401
