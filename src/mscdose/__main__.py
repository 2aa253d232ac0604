"""``python -m mscdose``."""

from mscdose.cli import main

raise SystemExit(main())
