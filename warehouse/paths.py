"""Where the warehouse file lives: --warehouse, else $SPSU_WAREHOUSE, else data/warehouse.duckdb."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse.duckdb"
SQL_DIR = Path(__file__).resolve().parent / "sql"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def warehouse_path(explicit: str | os.PathLike | None = None) -> Path:
    """Resolve the warehouse file path from an explicit value, the environment or the default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SPSU_WAREHOUSE")
    return Path(env) if env else DEFAULT_WAREHOUSE
