"""Map file headers (Spanish or English, any case, with or without accents) to canonical names."""
from __future__ import annotations

import re
import unicodedata

from loaders.kinds import Kind


def normalize(header: str) -> str:
    """'Código Municipio' -> 'codigo_municipio'; 'Plazo (días)' -> 'plazo_dias'."""
    text = unicodedata.normalize("NFKD", str(header).replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def alias_map(kind: Kind) -> dict[str, str]:
    out = {}
    for col in kind.columns:
        for alias in (col.name, normalize(col.spanish), *col.aliases):
            if alias:
                out.setdefault(normalize(alias), col.name)
    return out


def map_headers(headers: list[str], kind: Kind) -> tuple[dict[str, str], list[str], list[str]]:
    """Return ({file header: canonical}, unknown headers, duplicated canonical names)."""
    aliases = alias_map(kind)
    mapping, unknown, seen, dupes = {}, [], set(), []
    for h in headers:
        canon = aliases.get(normalize(h))
        if canon is None:
            unknown.append(h)
        elif canon in seen:
            dupes.append(h)
        else:
            seen.add(canon)
            mapping[h] = canon
    return mapping, unknown, dupes
