"""Doses found in free text: the lenient finder, its repairs (every one flagged)."""
