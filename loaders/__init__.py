"""File loaders of Tablero SPSU: read, validate (Great Expectations) and write loads atomically.

Public API: load_file, validate_file, revert, KINDS, LoadResult, Problem.
"""
from loaders.api import RevertError, RevertResult, load_file, revert, validate_file
from loaders.kinds import KINDS
from loaders.report import LoadResult, Problem

__all__ = ["load_file", "validate_file", "revert", "KINDS", "LoadResult", "Problem", "RevertError", "RevertResult"]
