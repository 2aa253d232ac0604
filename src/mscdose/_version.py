"""The package version (the bottom floor: imports nothing)."""

__version__ = "0.1.0"
