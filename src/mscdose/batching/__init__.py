"""Many checks at once: rows in, results out, workers."""
