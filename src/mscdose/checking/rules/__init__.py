"""Warnings: what a rule sees (context), the dose rules and the schedule rules."""
