"""Deterministic sample data for Tablero SPSU (every row is marked as sample)."""
from sample.generate import write_sample

__all__ = ["write_sample"]
