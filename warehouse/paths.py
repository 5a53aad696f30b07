"""Where the warehouse lives: --warehouse, else $SPSU_WAREHOUSE, else data/warehouse.duckdb.

The path names the catalog file; the facts and the operational tables live in side files beside it
(`<path>.facts`, `<path>.ops`), so the warehouse moves and copies as a set (`warehouse_files`).
"""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse.duckdb"
SQL_DIR = Path(__file__).resolve().parent / "sql"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
SIDE_FILES = ("facts", "ops")          # attached under these names by every connection


def warehouse_path(explicit: str | os.PathLike | None = None) -> Path:
    """Resolve the warehouse (catalog) path from an explicit value, the environment or the default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SPSU_WAREHOUSE")
    return Path(env) if env else DEFAULT_WAREHOUSE


def side_path(path: str | os.PathLike, name: str) -> Path:
    """The side file `name` ('facts' or 'ops') of the warehouse at `path`."""
    return Path(f"{path}.{name}")


def warehouse_files(path: str | os.PathLike) -> list[Path]:
    """The catalog and its side files: what moving or copying a warehouse must take together."""
    return [Path(path)] + [side_path(path, name) for name in SIDE_FILES]
