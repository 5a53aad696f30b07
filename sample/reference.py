"""Read-only access to the project's reference CSVs (warehouse/reference)."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "warehouse" / "reference"


def _read(name: str) -> list[dict]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    department: str
    intervention: str          # CSU or CSR
    csr_group: str
    entry_order: int
    entry_year: int
    settlements: int

    @property
    def start(self) -> dt.date:
        """First day with program data: CSR from 2009, CSU from January of the entry year."""
        if self.intervention == "CSR":
            return dt.date(2009, 1, 1)
        return dt.date(max(self.entry_year, 2010), 1, 1)

    @property
    def baseline_date(self) -> dt.date:
        """2009-12-31, or the day before entry for CSU municipalities entering after 2010."""
        return max(dt.date(2009, 12, 31), self.start - dt.timedelta(days=1))


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """The 125 intervention municipalities in entry order (CSR first, then CSU)."""
    names = {r["code"]: r for r in _read("municipalities.csv")}
    out = []
    for r in _read("interventions.csv"):
        m = names[r["code"]]
        out.append(Municipality(
            code=r["code"], name=m["municipality"], department=m["department"],
            intervention=r["intervention"], csr_group=r["csr_group"],
            entry_order=int(r["entry_order"]), entry_year=int(r["entry_year"]),
            settlements=int(r["settlements"] or 0)))
    out.sort(key=lambda m: (m.intervention != "CSR", m.entry_order))
    return tuple(out)


@lru_cache(maxsize=1)
def programs() -> tuple[dict, ...]:
    return tuple(_read("programs.csv"))


def program(code: str) -> dict:
    return next(p for p in programs() if p["program_code"] == code)
