"""What this package is: its version, and what it is not (the bottom floor: imports nothing)."""

__version__ = "0.1.0"

DISCLAIMER = "A reference and teaching tool, not a prescribing device."
