"""Arithmetic on doses: conversions between bases, viable cells, vials, body size."""
