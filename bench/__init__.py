"""Benchmarks: `python -m bench` prints timings (figures to read, not assertions)."""
