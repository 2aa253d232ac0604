"""A proposed dose against the table: which rows, the numbers, the plan per kind of row, the run."""
