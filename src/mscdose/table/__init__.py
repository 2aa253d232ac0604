"""The reference table (regimens.yaml): its rows, loading, validation, index, cache and lint."""
