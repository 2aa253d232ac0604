"""Reading what people write: the dose grammar, numerals, units, the vocabularies, display."""
